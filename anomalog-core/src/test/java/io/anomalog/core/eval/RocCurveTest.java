package io.anomalog.core.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RocCurveTest {

    @Test
    void aucIsTheShareOfCorrectlyOrderedPairs() {
        // anomalous 0.9 and 0.7, normal 0.8 and 0.6: pairs (0.9>0.8) (0.9>0.6) (0.7<0.8) (0.7>0.6) -> 3/4
        RocCurve roc = RocCurve.of(new double[]{0.9, 0.8, 0.7, 0.6}, new boolean[]{true, false, true, false});
        assertEquals(0.75, roc.auc(), 1e-12);
        assertEquals(2, roc.positives());
        assertEquals(2, roc.negatives());
        // points: start, then after each distinct score
        assertEquals(5, roc.points().size());
        RocCurve.Point afterFirst = roc.points().get(1);
        assertEquals(0.5, afterFirst.tpr(), 1e-12);
        assertEquals(0, afterFirst.fpr(), 1e-12);
        assertEquals(1, afterFirst.precision(), 1e-12);
        RocCurve.Point last = roc.points().get(4);
        assertEquals(1, last.tpr(), 1e-12);
        assertEquals(1, last.fpr(), 1e-12);
        assertEquals(0.5, last.precision(), 1e-12);
    }

    @Test
    void perfectAndInvertedRankings() {
        boolean[] truth = {true, true, false, false, false};
        assertEquals(1, RocCurve.of(new double[]{5, 4, 3, 2, 1}, truth).auc(), 1e-12);
        assertEquals(0, RocCurve.of(new double[]{1, 2, 3, 4, 5}, truth).auc(), 1e-12);
    }

    @Test
    void tiesCountHalf() {
        // anomalous 0.5; normals 0.5 (tie: 1/2) and 0.2 (win: 1) -> 0.75
        assertEquals(0.75, RocCurve.of(new double[]{0.5, 0.5, 0.2}, new boolean[]{true, false, false}).auc(), 1e-12);
        // all scores equal: one diagonal step, 0.5
        RocCurve flat = RocCurve.of(new double[]{1, 1, 1, 1}, new boolean[]{true, false, true, false});
        assertEquals(0.5, flat.auc(), 1e-12);
        assertEquals(2, flat.points().size());
    }

    @Test
    void oneClassHasNoAuc() {
        assertTrue(Double.isNaN(RocCurve.of(new double[]{1, 2}, new boolean[]{false, false}).auc()));
        assertTrue(Double.isNaN(RocCurve.of(new double[]{1, 2}, new boolean[]{true, true}).auc()));
        assertTrue(Double.isNaN(RocCurve.of(new double[0], new boolean[0]).auc()));
    }

    @Test
    void rejectsNanScoresAndLengthMismatch() {
        assertThrows(IllegalArgumentException.class,
                () -> RocCurve.of(new double[]{Double.NaN, 1}, new boolean[]{true, false}));
        assertThrows(IllegalArgumentException.class, () -> RocCurve.of(new double[]{1}, new boolean[]{true, false}));
    }
}
