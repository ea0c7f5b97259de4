package io.anomalog.bench.attgru;

import io.anomalog.bench.harness.ModelProbe;
import io.anomalog.bench.harness.ScoredTest;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Sequence;

import java.util.List;
import java.util.Optional;

/**
 * The confusion matrix of the trained model on the split's validation sequences: next to the test figures it
 * shows how far a balanced validation set is from the test mix. Empty when the split has no validation set.
 */
final class ValidationMatrix implements ModelProbe<ConfusionMatrix> {

    @Override
    public String name() {
        return "validation-confusion";
    }

    @Override
    public Optional<ConfusionMatrix> examine(Detector detector, Split split, List<Sequence> test, ScoredTest scored) {
        List<Sequence> validation = split.validation();
        if (validation.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ScoredTest.of(validation, detector.scoreAll(validation)).confusion());
    }
}
