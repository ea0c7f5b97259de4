package io.anomalog.bench.harness;

import io.anomalog.core.eval.ConfusionMatrix;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ThresholdSweepTest {

    @Test
    void everyPointEqualsRethresholdingTheStoredScoresByHand() {
        Random r = new Random(11);
        int n = 500;
        double[] scores = new double[n];
        boolean[] truth = new boolean[n];
        boolean[] flagged = new boolean[n];
        for (int i = 0; i < n; i++) {
            truth[i] = r.nextDouble() < 0.2;
            scores[i] = truth[i] ? 0.3 + 0.7 * r.nextDouble() : 0.7 * r.nextDouble();
            flagged[i] = scores[i] >= 0.5;
        }
        double[] thresholds = {0.1, 0.35, 0.5, 0.69, 0.99};
        ThresholdSweep sweep = ThresholdSweep.of(new ScoredTest(scores, truth, flagged), thresholds);
        assertEquals(thresholds.length, sweep.points().size());
        for (int k = 0; k < thresholds.length; k++) {
            long tp = 0;
            long fp = 0;
            long tn = 0;
            long fn = 0;
            for (int i = 0; i < n; i++) {
                boolean f = scores[i] >= thresholds[k];
                if (truth[i] && f) {
                    tp++;
                } else if (truth[i]) {
                    fn++;
                } else if (f) {
                    fp++;
                } else {
                    tn++;
                }
            }
            assertEquals(thresholds[k], sweep.points().get(k).threshold());
            assertEquals(new ConfusionMatrix(tp, fp, tn, fn), sweep.points().get(k).matrix());
        }
        // the method's own rule was "score >= 0.5": the sweep's 0.5 is its confusion matrix
        assertEquals(new ScoredTest(scores, truth, flagged).confusion(), sweep.points().get(2).matrix());
    }

    @Test
    void scoresAreNeededForASweep() {
        ScoredTest none = new ScoredTest(new double[]{Double.NaN}, new boolean[]{true}, new boolean[]{true});
        assertThrows(IllegalArgumentException.class, () -> ThresholdSweep.of(none, 0.5));
    }
}
