package io.anomalog.core.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConfusionMatrixTest {

    @Test
    void figuresMatchHandComputedValues() {
        // 8 TP, 2 FP, 85 TN, 5 FN: precision 0.8, recall 8/13, F1 = 2*0.8*(8/13)/(0.8+8/13) = 16/23
        ConfusionMatrix cm = new ConfusionMatrix(8, 2, 85, 5);
        assertEquals(100, cm.total());
        assertEquals(0.8, cm.precision(), 1e-12);
        assertEquals(8.0 / 13, cm.recall(), 1e-12);
        assertEquals(16.0 / 23, cm.f1(), 1e-12);
        assertEquals(0.93, cm.accuracy(), 1e-12);
        assertEquals(2.0 / 87, cm.fpr(), 1e-12);
    }

    @Test
    void addCountsEachCell() {
        ConfusionMatrix cm = ConfusionMatrix.empty()
                .add(true, true).add(true, false).add(false, true).add(false, false).add(false, false);
        assertEquals(new ConfusionMatrix(1, 1, 2, 1), cm);
        assertEquals(new ConfusionMatrix(2, 2, 4, 2), cm.plus(cm));
    }

    @Test
    void zeroDenominatorsGiveZero() {
        ConfusionMatrix none = new ConfusionMatrix(0, 0, 10, 0);
        assertEquals(0, none.precision());
        assertEquals(0, none.recall());
        assertEquals(0, none.f1());
        assertEquals(1, none.accuracy());
        assertEquals(0, ConfusionMatrix.empty().accuracy());
        assertEquals(0, ConfusionMatrix.empty().fpr());
    }
}
