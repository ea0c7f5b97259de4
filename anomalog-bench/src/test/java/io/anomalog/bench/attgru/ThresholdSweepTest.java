package io.anomalog.bench.attgru;

import io.anomalog.core.eval.ConfusionMatrix;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThresholdSweepTest {

    // four sessions: two anomalous (0.995, 0.6) and two normal (0.95, 0.1)
    private final AttGruBench.ScoredTest scored = new AttGruBench.ScoredTest(
            new double[]{0.995, 0.6, 0.95, 0.1}, new boolean[]{true, true, false, false});

    @Test
    void eachThresholdJudgesTheSameScoresAgain() {
        assertEquals(new ConfusionMatrix(2, 1, 1, 0), scored.at(0.5));
        assertEquals(new ConfusionMatrix(1, 1, 1, 1), scored.at(0.9));
        assertEquals(new ConfusionMatrix(1, 0, 2, 1), scored.at(0.98));
        assertEquals(new ConfusionMatrix(0, 0, 2, 2), scored.at(0.999));
        // one normal session (0.95) outranks one anomalous one (0.6): 3 of 4 pairs in order
        assertEquals(0.75, scored.auc(), 1e-12);
    }

    @Test
    void theReportHasOneRowPerWindowClassifier() {
        AttGruBench.Row attgru = new AttGruBench.Row("p", "attgru", true, "", 1, scored.at(0.5), null, 4, 4, 1,
                Map.of(), scored);
        AttGruBench.Row pca = new AttGruBench.Row("p", "pca", true, "", 1, scored.at(0.5), null, 4, 4, 1,
                Map.of(), scored);
        String table = AttGruBenchCommand.thresholds(List.of(attgru, pca));
        assertTrue(table.contains("| attgru | 0.7500 | 0.6667 (2 / 0) | 0.8000 (1 / 0) | 0.8000 (1 / 0) | 0.5000 (1 / 1) | 0.6667 (0 / 1) |"), table);
        assertTrue(!table.contains("| pca |"), table);
        assertEquals("", AttGruBenchCommand.thresholds(List.of(pca)));
    }
}
