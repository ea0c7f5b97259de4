package io.anomalog.stream.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small run of the streaming benchmark: every simulated line arrives, every anomaly is timed, the report says so. */
class StreamBenchmarkTest {

    @Test
    void measuresAWarmedUpPassAndReportsIt(@TempDir Path dir) throws Exception {
        StreamBenchmark.Settings s = new StreamBenchmark.Settings();
        s.hosts = 2;
        s.sessions = 300;
        s.warmupSessions = 200;
        s.anomalyRate = 0.1;
        s.sessionGap = Duration.ofSeconds(1);
        s.partitions = 1;
        s.streamThreads = 1;
        s.trainingSessions = 300;
        s.params = Map.of("epochs", "5");
        s.workDir = dir.resolve("work");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        StreamBenchmark.Result r = new StreamBenchmark(s, new PrintStream(log, true)).run();

        assertEquals(300, r.sessions());
        assertTrue(r.lines() > 300 * 5, "lines: " + r.lines());
        assertTrue(r.linesPerSecond() > 0 && r.seconds() > 0);
        assertTrue(r.warmupLines() > 200 * 5, "warm-up lines: " + r.warmupLines());
        assertTrue(r.warmupLinesPerSecond() > 0);
        // with one anomaly in ten sessions some are flagged, and each one's latency was measured
        assertTrue(r.anomalies() > 0, "anomaly records: " + r.anomalies());
        assertTrue(r.p99LatencyMillis() >= r.p50LatencyMillis() && r.p50LatencyMillis() >= 0);
        double parts = r.cpuByPart().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(r.cpuSeconds(), parts, 0.05 * r.cpuSeconds() + 0.05, "the parts add up to the process CPU time");

        Path report = dir.resolve("stream.md");
        StreamBenchmark.writeReport(report, r, s, "anomalog bench stream --sessions 300");
        String md = Files.readString(report);
        assertTrue(md.contains("`anomalog bench stream --sessions 300`"), md);
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "| lines | %,d |", r.lines())), md);
        assertTrue(md.contains("the warm-up pass itself (a cold JVM)"), md);
    }

    @Test
    void aRunInItsOwnTemporaryFolderRemovesIt() throws Exception {
        StreamBenchmark.Settings s = new StreamBenchmark.Settings();
        s.hosts = 1;
        s.sessions = 50;
        s.sessionGap = Duration.ofSeconds(1);
        s.partitions = 1;
        s.streamThreads = 1;
        s.trainingSessions = 200;
        s.params = Map.of("epochs", "3");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countBenchFolders(tmp);
        new StreamBenchmark(s, new PrintStream(new ByteArrayOutputStream())).run();
        assertEquals(before, countBenchFolders(tmp));
    }

    private static long countBenchFolders(Path tmp) throws Exception {
        try (var l = Files.list(tmp)) {
            return l.filter(p -> p.getFileName().toString().startsWith("anomalog-bench-stream-")).count();
        }
    }
}
