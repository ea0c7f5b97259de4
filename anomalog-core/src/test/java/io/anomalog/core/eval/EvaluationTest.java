package io.anomalog.core.eval;

import io.anomalog.core.detect.Verdict;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EvaluationTest {

    @Test
    void countsAndProjectsFalsePositivesByTheMeasuredRate() {
        List<Sequence> seqs = List.of(
                new Sequence("a", new int[]{1}, Label.ANOMALOUS), new Sequence("b", new int[]{1}, Label.ANOMALOUS),
                new Sequence("c", new int[]{1}, Label.NORMAL), new Sequence("d", new int[]{1}, Label.NORMAL),
                new Sequence("e", new int[]{1}, Label.NORMAL), new Sequence("f", new int[]{1}, Label.NORMAL),
                new Sequence("u", new int[]{1}, Label.UNKNOWN));
        List<Verdict> v = List.of(Verdict.of("a", true, 0.9), Verdict.of("b", false, 0.5), Verdict.of("c", true, 0.8),
                Verdict.of("d", false, 0.1), Verdict.of("e", false, 0.2), Verdict.of("f", false, 0.3),
                Verdict.of("u", true, 1.0));
        Evaluation e = Evaluation.of(seqs, v, 1000);
        assertEquals(new ConfusionMatrix(1, 1, 3, 1), e.matrix());
        assertEquals(250.0, e.projectedFp(), 1e-9);
        assertEquals(1.0 / 251, e.projectedPrecision(), 1e-12);
        double p = 1.0 / 251;
        assertEquals(2 * p * 0.5 / (p + 0.5), e.projectedF1(), 1e-12);
        assertEquals(7.0 / 8, e.auc(), 1e-12);
        assertEquals(Double.NaN, Evaluation.of(seqs, v, 0).projectedF1());
    }
}
