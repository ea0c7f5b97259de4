package io.anomalog.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedSpreadTest {

    /** A result whose decisions give exactly these counts (scores rank the anomalous ones first). */
    private static MethodResult result(String method, int tp, int fp, int tn, int fn) {
        int n = tp + fp + tn + fn;
        double[] scores = new double[n];
        boolean[] truth = new boolean[n];
        boolean[] flagged = new boolean[n];
        int i = 0;
        for (int k = 0; k < tp; k++, i++) {
            truth[i] = true;
            flagged[i] = true;
            scores[i] = 0.9;
        }
        for (int k = 0; k < fn; k++, i++) {
            truth[i] = true;
            scores[i] = 0.4;
        }
        for (int k = 0; k < fp; k++, i++) {
            flagged[i] = true;
            scores[i] = 0.6;
        }
        for (int k = 0; k < tn; k++, i++) {
            scores[i] = 0.1;
        }
        return TestResults.of(method, new ScoredTest(scores, truth, flagged), 1_000, java.util.Map.of());
    }

    @Test
    void aSpreadIsTheMeanSampleStandardDeviationLowestAndHighestWithoutNaN() {
        SeedSpread.Spread s = SeedSpread.Spread.of(0.5, 0.7, Double.NaN, 0.9);
        assertEquals(3, s.values());
        assertEquals(0.7, s.mean(), 1e-12);
        assertEquals(0.2, s.sd(), 1e-12);
        assertEquals(0.5, s.min());
        assertEquals(0.9, s.max());
        assertEquals("0.7000 ± 0.2000", s.meanSd());
        assertEquals(0, SeedSpread.Spread.of(0.4).sd());
        assertEquals("-", SeedSpread.Spread.of(Double.NaN).meanSd());
    }

    @Test
    void everyFigureIsSpreadOverTheSeeds() {
        List<MethodResult> seeds = List.of(result("m", 90, 1, 99, 10), result("m", 96, 2, 98, 4),
                result("m", 99, 3, 97, 1));
        SeedSpread s = SeedSpread.of(seeds);
        assertEquals("m", s.method());
        assertEquals(3, s.runs());
        assertEquals(0.95, s.recall().mean(), 1e-12);
        assertEquals(0.90, s.recall().min(), 1e-12);
        assertEquals(0.99, s.recall().max(), 1e-12);
        assertEquals(0.02, s.fpr().mean(), 1e-12);
        double sd = Math.sqrt((0.05 * 0.05 + 0.01 * 0.01 + 0.04 * 0.04) / 2);
        assertEquals(sd, s.recall().sd(), 1e-12);
        double f1 = seeds.stream().mapToDouble(m -> m.confusion().f1()).average().orElseThrow();
        assertEquals(f1, s.f1().mean(), 1e-12);
        double projected = seeds.stream().mapToDouble(MethodResult::projectedF1).max().orElseThrow();
        assertEquals(projected, s.projectedF1().max(), 1e-12);
        assertEquals(seeds.stream().mapToDouble(MethodResult::auc).min().orElseThrow(), s.auc().min(), 1e-12);
        assertEquals(1.5, s.fitSeconds().mean(), 1e-12);
    }

    @Test
    void runsWithOtherSplitSeedsAreSpreadPerMethodInTheOrderOfTheFirstRun() throws Exception {
        ToyProtocol toy = new ToyProtocol(true, 0);
        List<HarnessResult> runs = List.of(
                Harness.on(toy).seed(1).methods(List.of("pca", "tree")).run(),
                Harness.on(toy).seed(2).methods(List.of("pca", "tree")).run());
        List<SeedSpread> spreads = SeedSpread.overSplits(runs);
        assertEquals(List.of("pca", "tree"), spreads.stream().map(SeedSpread::method).toList());
        assertEquals(2, spreads.get(0).runs());
        double f1a = runs.get(0).results().get(0).confusion().f1();
        double f1b = runs.get(1).results().get(0).confusion().f1();
        assertEquals((f1a + f1b) / 2, spreads.get(0).f1().mean(), 1e-12);
        assertTrue(runs.get(0).split().test() != runs.get(1).split().test());
    }
}
