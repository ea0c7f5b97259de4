package io.anomalog.bench.harness;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Sequence;

import java.util.List;
import java.util.Optional;

/**
 * A look at a trained model that its verdicts alone do not give, taken while the harness still holds the model
 * (after the test set was scored): DeepLog's decision rules over worst ranks and probabilities, the window counts
 * of a window classifier, the confusion matrix on a validation set. A report asks the harness for the probes it
 * shows; the harness runs each on every model it trains and files what it finds under the probe's name, so the
 * harness itself knows no method.
 *
 * @param <T> what the probe finds
 */
public interface ModelProbe<T> {

    /** The name its findings are filed under in {@link MethodResult#probes()}. */
    String name();

    /**
     * What the probe finds on one trained model, or empty when it does not apply to this model.
     *
     * @param detector the trained model, open
     * @param split    the split it was trained and tested on
     * @param test     the labelled test sequences, in the order of {@code scored}
     * @param scored   the model's verdicts on them
     */
    Optional<T> examine(Detector detector, Split split, List<Sequence> test, ScoredTest scored);
}
