package io.anomalog.ml.baseline;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.features.CountSeries;
import io.anomalog.core.session.Sequence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Z-score detector on per-window counts: each window's count of every key (and its total) is compared with the
 * mean and standard deviation of normal training windows; the score is the largest |z| of the sequence's
 * windows, anomalous above the threshold (3 sigma).
 */
final class ZScoreDetector extends BaselineDetector {

    /**
     * Saved parameters.
     *
     * @param window    events per window, 0 = the whole sequence is one window
     * @param mean      per-column mean of the training windows
     * @param std       per-column standard deviation
     * @param minStd    floor of the standard deviation (a count that never varied still has a scale)
     * @param threshold |z| above which a window is anomalous
     */
    record Parameters(int window, double[] mean, double[] std, double minStd, double threshold) {
    }

    private final Parameters p;
    private final KeyVocabulary vocabulary;

    ZScoreDetector(ModelManifest manifest, Parameters p) {
        super(manifest);
        this.p = p;
        this.vocabulary = manifest.keyVocabulary();
    }

    static int windowSize(int window, int[] keys) {
        return window > 0 ? window : Math.max(1, keys.length);
    }

    @Override
    public Verdict score(Sequence sequence) {
        double worst = 0;
        int column = 0;
        int atWindow = 0;
        int w = 0;
        for (double[] point : CountSeries.of(sequence, vocabulary, windowSize(p.window(), sequence.keys()))) {
            double[] z = CountStatistics.worst(point, p.mean(), p.std(), p.minStd());
            if (z[0] > worst) {
                worst = z[0];
                column = (int) z[1];
                atWindow = w;
            }
            w++;
        }
        boolean anomalous = worst > p.threshold();
        String why = String.format(Locale.ROOT, "|z| %.2f on %s in window %d %s %.2f", worst,
                CountStatistics.columnName(sequence, column, vocabulary), atWindow, anomalous ? ">" : "<=", p.threshold());
        return new Verdict(sequence.id(), anomalous, worst, new BaselineExplanation(why, worst, p.threshold()));
    }

    @Override
    protected void writeParameters(Path modelDir) throws IOException {
        ModelFiles.writeParameters(modelDir, p);
    }
}
