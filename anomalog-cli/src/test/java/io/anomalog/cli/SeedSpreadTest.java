package io.anomalog.cli;

import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.Evaluation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedSpreadTest {

    private static Evaluation eval(long tp, long fp, long tn, long fn) {
        return new Evaluation(new ConfusionMatrix(tp, fp, tn, fn), Double.NaN, 0, 0, Double.NaN, Double.NaN);
    }

    @Test
    void meanLowestAndHighestOverTheSeeds() {
        SeedSpread s = new SeedSpread(false);
        s.add(1, eval(90, 1, 99, 10), 10);   // recall 0.90
        s.add(2, eval(96, 2, 98, 4), 20);    // recall 0.96
        s.add(3, eval(99, 3, 97, 1), 30);    // recall 0.99
        assertArrayEquals(new double[]{0.95, 0.90, 0.99},
                s.summary(r -> r.evaluation().matrix().recall()), 1e-12);
        assertArrayEquals(new double[]{0.02, 0.01, 0.03},
                s.summary(r -> r.evaluation().matrix().fpr()), 1e-12);
        String md = s.markdown("9");
        assertTrue(md.contains("| 2 | 96 | 2 | 98 | 4 | 0.9796 | 0.9600 | 0.9697 | 0.02000 | 20.0 |"), md);
        assertTrue(md.contains("| mean | | | | | "), md);
        assertTrue(md.contains("0.9500 |"), md);
        assertTrue(md.contains("| lowest | | | | | 0.9706 | 0.9000 |"), md);
    }
}
