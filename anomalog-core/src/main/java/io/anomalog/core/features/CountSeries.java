package io.anomalog.core.features;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.session.Sequence;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-window event-count series for the statistical detectors (z-score, moving average): a key sequence is cut
 * into consecutive windows of a fixed number of events, and each window becomes a count vector whose last
 * column is the window's total event count. A sequence shorter than one window is one (short) window, so
 * every sequence yields at least one point.
 */
public final class CountSeries {

    private CountSeries() {
    }

    /** Width of a series point: one column per key (0 = unknown), plus the total. */
    public static int width(KeyVocabulary vocabulary) {
        return EventCountMatrix.width(vocabulary) + 1;
    }

    /** The width of a sequence's points: its feature vector's when it has one. */
    public static int width(Sequence sequence, KeyVocabulary vocabulary) {
        return sequence.hasFeatures() ? sequence.features().width() : width(vocabulary);
    }

    /**
     * The points of a sequence: its own feature vector when it has one (a time window judged on its features),
     * else {@link #of(int[], KeyVocabulary, int)} of its keys.
     */
    public static List<double[]> of(Sequence sequence, KeyVocabulary vocabulary, int windowSize) {
        return sequence.hasFeatures() ? List.of(sequence.features().last()) : of(sequence.keys(), vocabulary, windowSize);
    }

    /**
     * @param keys       the key sequence, in order
     * @param windowSize events per window (&gt; 0); the last window may be shorter
     * @return one count vector per window, in order
     */
    public static List<double[]> of(int[] keys, KeyVocabulary vocabulary, int windowSize) {
        if (windowSize <= 0) {
            throw new IllegalArgumentException("window size must be positive");
        }
        int width = width(vocabulary);
        List<double[]> out = new ArrayList<>();
        for (int start = 0; start < Math.max(keys.length, 1); start += windowSize) {
            double[] point = new double[width];
            int end = Math.min(keys.length, start + windowSize);
            for (int i = start; i < end; i++) {
                point[vocabulary.indexOf(keys[i])]++;
            }
            point[width - 1] = end - start;
            out.add(point);
        }
        return out;
    }
}
