package io.anomalog.bench.detect;

import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.RocCurve;

import java.util.Map;

/**
 * What one method achieved on one split.
 *
 * @param method         method name
 * @param description    the provider's one-line description
 * @param supervised     whether it trained on both labels
 * @param trainSequences training sequences it was given
 * @param fitSeconds     training time
 * @param predictSeconds time to score the whole test set
 * @param confusion      decisions at the method's own threshold
 * @param roc            ROC of the scores, or null when the method gives no score (or one class is missing)
 * @param projectedF1    F1 with false positives scaled to the protocol's projected normals; NaN when unused
 * @param scores         the test scores, in test order
 * @param truth          whether each test sequence is anomalous
 * @param parameters     the hyper-parameters the trained model recorded (defaults included)
 */
public record MethodResult(String method, String description, boolean supervised, int trainSequences,
                           double fitSeconds, double predictSeconds, ConfusionMatrix confusion, RocCurve roc,
                           double projectedF1, double[] scores, boolean[] truth, Map<String, Object> parameters) {

    /** Area under the ROC curve, NaN without scores. */
    public double auc() {
        return roc == null ? Double.NaN : roc.auc();
    }

    /**
     * F1 when the test set's normals stood for {@code projectedNormals} normals: the false positives are scaled by
     * the measured false-positive rate, true positives and false negatives stay.
     */
    public static double projectedF1(ConfusionMatrix cm, long projectedNormals) {
        if (projectedNormals <= 0) {
            return Double.NaN;
        }
        double fp = cm.fpr() * projectedNormals;
        double precision = cm.tp() + fp == 0 ? 0 : cm.tp() / (cm.tp() + fp);
        double recall = cm.recall();
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }
}
