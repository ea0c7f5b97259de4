package io.anomalog.bench.parse;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Grouping accuracy on the bundled loghub samples, with the settings the benchmark uses. */
class BundledAccuracyTest {

    private static final Path LOGHUB = Path.of(System.getProperty("anomalog.repo", "..")).resolve("data/loghub");

    private static ParseAccuracyBenchmark.Result score(String system) {
        Path dir = LOGHUB.resolve(system);
        return new ParseAccuracyBenchmark(LOGHUB, true).score(system, dir.resolve(system + "_2k.log"),
                dir.resolve(system + "_2k.log_structured.csv"));
    }

    @Test
    void hdfsGroupingAccuracy() {
        var r = score("HDFS");
        assertEquals(2000, r.metrics().lines());
        assertEquals(0, r.headerMismatches());
        assertTrue(r.metrics().ga() >= 0.99, "GA " + r.metrics().ga());
    }

    @Test
    void bglGroupingAccuracy() {
        var r = score("BGL");
        assertEquals(2000, r.metrics().lines());
        assertTrue(r.metrics().ga() >= 0.95, "GA " + r.metrics().ga());
    }

    @Test
    void metricsFollowTheStandardDefinitions() {
        // truth: A A B C ; predicted: 1 1 2 2 -> group 1 = {A,A} correct (2 lines), group 2 mixes B and C
        var m = GroupingMetrics.compute(List.of("A", "A", "B", "C"), List.of("a <*>", "a <*>", "b", "c"),
                List.of("1", "1", "2", "2"), List.of("a <*>", "a  <*>", "b", "x"));
        assertEquals(0.5, m.ga(), 1e-9);
        assertEquals(0.75, m.pa(), 1e-9);
        // precision 1/2, recall 1/3
        assertEquals(2 * 0.5 * (1 / 3.0) / (0.5 + 1 / 3.0), m.fga(), 1e-9);
        // a predicted group that is a strict subset of a true group is wrong
        var split = GroupingMetrics.compute(List.of("A", "A"), List.of("t", "t"), List.of("1", "2"), List.of("t", "t"));
        assertEquals(0.0, split.ga(), 1e-9);
        assertEquals(1.0, split.pa(), 1e-9);
    }

    @Test
    void sharedDatasetsWhenPresent() {
        Path data = Path.of(System.getProperty("anomalog.data", "../shared/datasets"));
        assumeTrue(Files.isDirectory(data.resolve("loghub_2k/OpenSSH")), "shared datasets not present");
        var r = new ParseAccuracyBenchmark(data, true).run("OpenSSH", ParseAccuracyBenchmark.Truth.ORIGINAL);
        assertTrue(r.metrics().ga() >= 0.9, "GA " + r.metrics().ga());
    }
}
