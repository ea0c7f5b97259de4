package io.anomalog.bench.harness;

import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.RocCurve;

import java.util.Map;
import java.util.Optional;

/**
 * What one trained model of a method achieved on one split.
 *
 * @param method         method name
 * @param description    the provider's one-line description
 * @param supervised     whether it trained on both labels
 * @param trainSequences training sequences it was given (0 for a model given ready-made)
 * @param fitSeconds     training time (0 for a model given ready-made)
 * @param predictSeconds time to score the whole test set
 * @param test           the verdicts on the labelled test sequences: scores, truth, decisions
 * @param confusion      decisions at the method's own threshold
 * @param roc            ROC of the scores (its points carry the precision, so it is also the precision-recall
 *                       curve), or null when the method gives no score
 * @param projection     figures projected to the split's projected normals, or null when the split has none
 * @param parameters     the hyper-parameters the trained model recorded (defaults included)
 * @param training       the model's training summary (epochs, windows, ...)
 * @param metrics        the model's recorded metrics (losses, validation figures, ...)
 * @param probes         what each {@link ModelProbe} the run asked for found, by probe name
 */
public record MethodResult(String method, String description, boolean supervised, int trainSequences,
                           double fitSeconds, double predictSeconds, ScoredTest test, ConfusionMatrix confusion,
                           RocCurve roc, Projection projection, Map<String, Object> parameters,
                           Map<String, Object> training, Map<String, Object> metrics, Map<String, Object> probes) {

    /** Area under the ROC curve; NaN without scores or with one class only. */
    public double auc() {
        return roc == null ? Double.NaN : roc.auc();
    }

    /** The projected F1, NaN when the split projects nothing. */
    public double projectedF1() {
        return projection == null ? Double.NaN : projection.f1();
    }

    /** What {@code probe} found on this model, empty when it was not asked for or did not apply. */
    public <T> Optional<T> probe(ModelProbe<T> probe) {
        @SuppressWarnings("unchecked")
        T found = (T) probes.get(probe.name());
        return Optional.ofNullable(found);
    }
}
