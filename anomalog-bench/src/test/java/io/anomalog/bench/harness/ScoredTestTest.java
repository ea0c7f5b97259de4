package io.anomalog.bench.harness;

import io.anomalog.core.detect.Verdict;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScoredTestTest {

    private static Sequence seq(String id, Label label) {
        return new Sequence(id, new int[]{1}, label);
    }

    // two anomalous (one caught), four normal (one flagged), one without a label (flagged, but never counted)
    private static final List<Sequence> SEQUENCES = List.of(seq("a", Label.ANOMALOUS), seq("b", Label.ANOMALOUS),
            seq("c", Label.NORMAL), seq("d", Label.NORMAL), seq("e", Label.NORMAL), seq("f", Label.NORMAL),
            seq("u", Label.UNKNOWN));
    private static final List<Verdict> VERDICTS = List.of(Verdict.of("a", true, 0.9), Verdict.of("b", false, 0.5),
            Verdict.of("c", true, 0.8), Verdict.of("d", false, 0.1), Verdict.of("e", false, 0.2),
            Verdict.of("f", false, 0.3), Verdict.of("u", true, 1.0));

    @Test
    void handMadeVerdictsAreCountedAgainstTheLabelsAndUnlabelledOnesAreLeftOut() {
        ScoredTest t = ScoredTest.of(SEQUENCES, VERDICTS);
        assertEquals(6, t.size());
        assertEquals(new ConfusionMatrix(1, 1, 3, 1), t.confusion());
        // anomalous 0.9 and 0.5 against normal 0.8, 0.1, 0.2, 0.3: 7 of 8 pairs in order
        assertEquals(7.0 / 8, t.roc().auc(), 1e-12);
    }

    @Test
    void aThresholdAndAnyRuleAreCountedOnTheSameScores() {
        ScoredTest t = ScoredTest.of(SEQUENCES, VERDICTS);
        assertEquals(new ConfusionMatrix(1, 1, 3, 1), t.at(0.8));
        assertEquals(new ConfusionMatrix(2, 2, 2, 0), t.at(0.25));
        assertEquals(new ConfusionMatrix(0, 0, 4, 2), t.at(0.95));
        // flag every other position: a (anomalous), c and e (normal)
        assertEquals(new ConfusionMatrix(1, 2, 2, 1), t.where(i -> i % 2 == 0));
    }

    @Test
    void aMethodWithoutScoresHasNoCurveButItsDecisionsStillCount() {
        ScoredTest t = new ScoredTest(new double[]{Double.NaN, Double.NaN}, new boolean[]{true, false},
                new boolean[]{true, true});
        assertFalse(t.hasScores());
        assertNull(t.roc());
        assertEquals(new ConfusionMatrix(1, 1, 0, 0), t.confusion());
    }

    @Test
    void verdictsMustMatchTheSequencesOneForOne() {
        assertThrows(IllegalArgumentException.class, () -> ScoredTest.of(SEQUENCES, VERDICTS.subList(0, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> new ScoredTest(new double[2], new boolean[3], new boolean[3]));
    }
}
