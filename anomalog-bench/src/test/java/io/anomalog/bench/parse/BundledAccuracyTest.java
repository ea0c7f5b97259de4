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
    void sharedDatasetsWhenPresent() {
        Path data = Path.of(System.getProperty("anomalog.data", "../shared/datasets"));
        assumeTrue(Files.isDirectory(data.resolve("loghub_2k/OpenSSH")), "shared datasets not present");
        var r = new ParseAccuracyBenchmark(data, true).run("OpenSSH", ParseAccuracyBenchmark.Truth.ORIGINAL);
        assertTrue(r.metrics().ga() >= 0.9, "GA " + r.metrics().ga());
    }
}
