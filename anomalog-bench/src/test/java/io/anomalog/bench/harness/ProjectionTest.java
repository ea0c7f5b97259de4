package io.anomalog.bench.harness;

import io.anomalog.core.eval.ConfusionMatrix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProjectionTest {

    @Test
    void falsePositivesAreScaledByTheMeasuredRateWhileTruePositivesAndMissesStay() {
        // 90 TP, 10 FN; 5 FP of 1,000 normals (FPR 0.005) -> 2,500 FP among 500,000: precision 90 / 2,590
        Projection p = Projection.of(new ConfusionMatrix(90, 5, 995, 10), 500_000);
        double precision = 90.0 / 2590;
        assertEquals(2500, p.fp(), 1e-9);
        assertEquals(precision, p.precision(), 1e-12);
        assertEquals(0.9, p.recall(), 1e-12);
        assertEquals(2 * precision * 0.9 / (precision + 0.9), p.f1(), 1e-12);
        assertEquals(500_000, p.normals());
    }

    @Test
    void nothingFlaggedProjectsToZeroAndNoNormalsIsNoProjection() {
        Projection none = Projection.of(new ConfusionMatrix(0, 0, 100, 10), 1_000);
        assertEquals(0, none.fp());
        assertEquals(0, none.precision());
        assertEquals(0, none.f1());
        assertThrows(IllegalArgumentException.class, () -> Projection.of(new ConfusionMatrix(1, 1, 1, 1), 0));
    }
}
