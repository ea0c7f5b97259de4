package io.anomalog.ml.deeplog.parameter;

import io.anomalog.core.session.Sequence;

import java.util.ArrayList;
import java.util.List;

/**
 * The prediction problems of one key in one sequence: for each event of the key, the previous h normalised vectors
 * of the same key in the sequence (oldest first, padded in front with zero vectors whose presence flag is 0) and
 * the event's own normalised vector, which the model predicts.
 */
final class KeySeries {

    /** One event of the key. */
    record Step(int position, float[] history, double[] target, boolean hasHistory) {
    }

    private KeySeries() {
    }

    static List<Step> of(Sequence s, KeyLayout layout, int h) {
        int d = layout.dimensions();
        List<double[]> previous = new ArrayList<>();
        List<Step> out = new ArrayList<>();
        int[] keys = s.keys();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != layout.key()) {
                continue;
            }
            double[] v = layout.normalised(s, i);
            float[] hist = new float[h * (d + 1)];
            int have = Math.min(h, previous.size());
            for (int j = 0; j < have; j++) {
                double[] p = previous.get(previous.size() - have + j);
                int row = h - have + j;
                for (int k = 0; k < d; k++) {
                    hist[row * (d + 1) + k] = (float) p[k];
                }
                hist[row * (d + 1) + d] = 1;
            }
            out.add(new Step(i, hist, v, have > 0));
            previous.add(v);
        }
        return out;
    }
}
