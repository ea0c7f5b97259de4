package io.anomalog.core.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ROC and precision-recall curves of anomaly scores (higher = more anomalous) against labels, with the area
 * under the ROC curve. Tied scores form one step (the curve goes diagonally through them), so AUC equals the
 * Mann-Whitney probability that a random anomalous item scores above a random normal one, ties counting half.
 */
public final class RocCurve {

    /** One threshold: flag every item with score >= threshold. */
    public record Point(double threshold, double fpr, double tpr, double precision) {
    }

    private final List<Point> points;
    private final double auc;
    private final long positives;
    private final long negatives;

    private RocCurve(List<Point> points, double auc, long positives, long negatives) {
        this.points = points;
        this.auc = auc;
        this.positives = positives;
        this.negatives = negatives;
    }

    /**
     * @param scores    anomaly scores; NaN scores are not allowed (a method without scores has no ROC)
     * @param anomalous ground truth, same length
     */
    public static RocCurve of(double[] scores, boolean[] anomalous) {
        if (scores.length != anomalous.length) {
            throw new IllegalArgumentException(scores.length + " scores for " + anomalous.length + " labels");
        }
        Integer[] order = new Integer[scores.length];
        long pos = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            order[i] = i;
            if (anomalous[i]) {
                pos++;
            }
        }
        long neg = scores.length - pos;
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        List<Point> pts = new ArrayList<>();
        pts.add(new Point(Double.POSITIVE_INFINITY, 0, 0, 1));
        long tp = 0;
        long fp = 0;
        double area = 0;
        double prevFpr = 0;
        double prevTpr = 0;
        int i = 0;
        while (i < order.length) {
            double s = scores[order[i]];
            while (i < order.length && scores[order[i]] == s) {
                if (anomalous[order[i]]) {
                    tp++;
                } else {
                    fp++;
                }
                i++;
            }
            double fpr = neg == 0 ? 0 : (double) fp / neg;
            double tpr = pos == 0 ? 0 : (double) tp / pos;
            area += (fpr - prevFpr) * (tpr + prevTpr) / 2;
            prevFpr = fpr;
            prevTpr = tpr;
            pts.add(new Point(s, fpr, tpr, (double) tp / (tp + fp)));
        }
        double auc = pos == 0 || neg == 0 ? Double.NaN : area;
        return new RocCurve(List.copyOf(pts), auc, pos, neg);
    }

    public List<Point> points() {
        return points;
    }

    /** Area under the ROC curve; NaN when only one class is present. */
    public double auc() {
        return auc;
    }

    public long positives() {
        return positives;
    }

    public long negatives() {
        return negatives;
    }
}
