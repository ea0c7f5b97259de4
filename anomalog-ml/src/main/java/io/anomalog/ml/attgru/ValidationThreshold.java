package io.anomalog.ml.attgru;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The decision threshold chosen on validation items: of all cuts of their anomaly log-odds ("anomalous when
 * log-odds >= t"), the one with the highest weighted F1; when several cuts tie, the one with the widest gap
 * between the items it separates, and the threshold lies in the middle of that gap (in log-odds, where the
 * network's outputs are spread out, rather than in probabilities, which crowd near 0 and 1).
 */
final class ValidationThreshold {

    private ValidationThreshold() {
    }

    /**
     * @return the threshold in log-odds, or NaN when the items do not hold both labels
     */
    static double choose(float[] logOdds, int[] labels, float[] weights) {
        int n = logOdds.length;
        double positives = 0;
        double negatives = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] == 1) {
                positives += weights[i];
            } else {
                negatives += weights[i];
            }
        }
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> logOdds[i]).reversed());
        double tp = 0;
        double fp = 0;
        double bestF1 = -1;
        double bestGap = -1;
        double threshold = Double.NaN;
        int i = 0;
        while (i < n) {
            float v = logOdds[order[i]];
            while (i < n && logOdds[order[i]] == v) {
                if (labels[order[i]] == 1) {
                    tp += weights[order[i]];
                } else {
                    fp += weights[order[i]];
                }
                i++;
            }
            // cut between v (flagged) and the next lower value (not flagged)
            double next = i < n ? logOdds[order[i]] : v - 1.0;
            double f1 = 2 * tp / (2 * tp + fp + (positives - tp));
            double gap = v - next;
            if (f1 > bestF1 + 1e-12 || (Math.abs(f1 - bestF1) <= 1e-12 && gap > bestGap)) {
                bestF1 = f1;
                bestGap = gap;
                threshold = (v + next) / 2;
            }
        }
        return threshold;
    }

    /**
     * The validation weights with the normal items scaled so that they stand {@code normalsPerAnomaly} to one
     * against the anomalous ones (by weight): the F1-best cut for a stream with that share of anomalies rather
     * than the validation set's own. The anomalous items keep their weights; the order of items is kept.
     */
    static float[] atRatio(int[] labels, float[] weights, double normalsPerAnomaly) {
        double positives = 0;
        double negatives = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 1) {
                positives += weights[i];
            } else {
                negatives += weights[i];
            }
        }
        float[] out = weights.clone();
        if (positives == 0 || negatives == 0) {
            return out;
        }
        double scale = normalsPerAnomaly * positives / negatives;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 1) {
                out[i] = (float) (weights[i] * scale);
            }
        }
        return out;
    }
}
