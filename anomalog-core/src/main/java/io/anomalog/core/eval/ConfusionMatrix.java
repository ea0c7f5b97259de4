package io.anomalog.core.eval;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Counts of a binary anomaly decision against ground truth, with the usual figures. "Positive" means anomalous.
 * A ratio whose denominator is zero is reported as 0 (and F1 as 0), the convention of loglizer and sklearn.
 */
public record ConfusionMatrix(long tp, long fp, long tn, long fn) {

    public static ConfusionMatrix empty() {
        return new ConfusionMatrix(0, 0, 0, 0);
    }

    /** Adds one decision. */
    public ConfusionMatrix add(boolean actualAnomalous, boolean predictedAnomalous) {
        if (actualAnomalous) {
            return predictedAnomalous ? new ConfusionMatrix(tp + 1, fp, tn, fn) : new ConfusionMatrix(tp, fp, tn, fn + 1);
        }
        return predictedAnomalous ? new ConfusionMatrix(tp, fp + 1, tn, fn) : new ConfusionMatrix(tp, fp, tn + 1, fn);
    }

    public ConfusionMatrix plus(ConfusionMatrix o) {
        return new ConfusionMatrix(tp + o.tp, fp + o.fp, tn + o.tn, fn + o.fn);
    }

    public long total() {
        return tp + fp + tn + fn;
    }

    @JsonProperty
    public double precision() {
        return ratio(tp, tp + fp);
    }

    @JsonProperty
    public double recall() {
        return ratio(tp, tp + fn);
    }

    @JsonProperty
    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    @JsonProperty
    public double accuracy() {
        return ratio(tp + tn, total());
    }

    /** False-positive rate: share of normal sequences flagged. */
    @JsonProperty
    public double fpr() {
        return ratio(fp, fp + tn);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
