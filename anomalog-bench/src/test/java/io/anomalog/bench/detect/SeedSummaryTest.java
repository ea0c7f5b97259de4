package io.anomalog.bench.detect;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedSummaryTest {

    @Test
    void spreadIsTheMeanAndSampleStandardDeviation() {
        SeedSummary.Spread s = SeedSummary.Spread.of(List.of(0.5, 0.7, 0.9));
        assertEquals(0.7, s.mean(), 1e-12);
        assertEquals(0.2, s.sd(), 1e-12);
        assertEquals(0, SeedSummary.Spread.of(List.of(0.4)).sd());
        assertTrue(Double.isNaN(SeedSummary.Spread.of(List.of(Double.NaN)).mean()));
        assertEquals("0.7000 ± 0.2000", s.toString());
    }

    @Test
    void oneRowPerMethodOverRuns() {
        var toy = new DetectionBenchmarkTest.ToyProtocol(true, 0);
        List<BenchmarkResult> runs = List.of(
                DetectionBenchmark.forProtocol(toy).seed(1).methods(List.of("pca", "tree")).run(),
                DetectionBenchmark.forProtocol(toy).seed(2).methods(List.of("pca", "tree")).run());
        List<SeedSummary.Row> rows = SeedSummary.of(runs);
        assertEquals(2, rows.size());
        assertEquals("pca", rows.get(0).method());
        assertEquals(2, rows.get(0).runs());
        double f1a = runs.get(0).results().get(0).confusion().f1();
        double f1b = runs.get(1).results().get(0).confusion().f1();
        assertEquals((f1a + f1b) / 2, rows.get(0).f1().mean(), 1e-12);
        assertTrue(SeedSummary.markdown(runs).contains("| tree | 2 |"));
    }
}
