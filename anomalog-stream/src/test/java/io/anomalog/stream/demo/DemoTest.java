package io.anomalog.stream.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's whole pipeline (broker, writers, shippers, detector, live report) with a simple detector. */
class DemoTest {

    @Test
    @Timeout(120)
    void runsThePipelineEndToEndAndAccountsForEveryLineAndSession(@TempDir Path work) throws Exception {
        Demo.Settings s = new Demo.Settings();
        s.method = "keyrule";
        s.duration = Duration.ofSeconds(6);
        s.linesPerSecondPerHost = 400;
        s.anomalyRate = 0.25;
        s.grouping = io.anomalog.core.session.GroupingSpec.Sessions.byPattern("blk_-?\\d+")
                .withGap(Duration.ofMillis(1500));
        s.trainingSessions = 300;
        s.workDir = work;
        s.seed = 3;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Demo.Summary sum = new Demo(s, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                io.anomalog.core.util.Progress.NONE).run();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(sum.linesWritten() > 3000, out);
        assertEquals(sum.linesWritten(), sum.linesShipped(), "every written line shipped once\n" + out);
        assertEquals(sum.linesWritten(), sum.recordsIn(), "every shipped line read once\n" + out);
        assertEquals(0, sum.deadLetters(), out);
        assertEquals(0, sum.duplicates(), out);
        assertTrue(sum.truePositives() > 0, out);
        assertTrue(out.contains("ANOMALY hadoop"), out);
        assertTrue(out.contains("summary"), out);
        assertTrue(out.contains("UPGRADE:") && out.contains("false alarms:"), "the workflow changes halfway\n" + out);
        assertTrue(Files.exists(work.resolve("model").resolve("template-store.json")));
        assertTrue(Files.exists(work.resolve("logs/hadoop1/hdfs.log")));
    }
}
