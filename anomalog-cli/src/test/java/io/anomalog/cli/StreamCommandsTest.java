package io.anomalog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulate, stream and ship commands' input handling (the pipelines themselves are tested in anomalog-stream). */
class StreamCommandsTest {

    @TempDir
    Path dir;


    @Test
    void simulateHdfsWritesOneLogPerHostAndLabels() throws Exception {
        CliRun r = CliRun.of("simulate", "hdfs", "--hosts", "2", "--sessions", "40", "--anomaly-rate", "0.5",
                "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(dir.resolve("hadoop1/hdfs.log")) > 0);
        assertTrue(Files.size(dir.resolve("hadoop2/hdfs.log")) > 0);
        List<String> labels = Files.readAllLines(dir.resolve("labels.csv"));
        assertEquals(41, labels.size());
        assertTrue(labels.stream().anyMatch(l -> l.endsWith(",Anomaly")));
    }

    @Test
    void streamInputOptionsAreCheckedAgainstTheGroupingBeforeAnythingConnects() {
        java.nio.file.Path model = dir.resolve("m");
        CliRun t = CliRun.of("train", "ngram", "--logs", DeepLogCommandsTest.REPO.resolve("data/hdfs/HDFS_5k.log")
                .toString(), "--format", "hdfs", "--session-id", "blk_-?\\d+", "-o", model.toString());
        assertEquals(0, t.code(), t.err());
        CliRun gapOnWindows = CliRun.of("stream", "--model", model.toString(), "--window", "20", "--session-gap", "5s",
                "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, gapOnWindows.code());
        assertTrue(gapOnWindows.err().contains("--session-gap closes sessions; windows close by their size"),
                gapOnWindows.err());
        CliRun badGap = CliRun.of("stream", "--model", model.toString(), "--session-gap", "PT-30S",
                "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, badGap.code());
        assertTrue(badGap.err().contains("--session-gap must be a positive duration"), badGap.err());
        CliRun badRegex = CliRun.of("stream", "--model", model.toString(), "--session-id", "blk_(",
                "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, badRegex.code());
        assertTrue(badRegex.err().contains("not a valid regular expression"), badRegex.err());
        CliRun liveOnly = CliRun.of("detect", "-m", model.toString(), "--logs", DeepLogCommandsTest.REPO
                .resolve("data/hdfs/HDFS_5k.log").toString(), "--session-gap", "5s");
        assertEquals(2, liveOnly.code());
        assertTrue(liveOnly.err().contains("would be ignored"), liveOnly.err());
    }

    @Test
    void silentOrMisleadingOutcomesAreClearErrorsNow() {
        java.nio.file.Path model = dir.resolve("m2");
        String log = DeepLogCommandsTest.REPO.resolve("data/hdfs/HDFS_5k.log").toString();
        assertEquals(0, CliRun.of("train", "ngram", "--logs", log, "--format", "hdfs", "--session-id", "blk_-?\\d+",
                "-o", model.toString()).code());
        CliRun noMatch = CliRun.of("detect", "-m", model.toString(), "--logs", log, "--session-id", "req-\\d+");
        assertEquals(2, noMatch.code(), noMatch.err());
        assertTrue(noMatch.err().contains("no sessions in") && noMatch.err().contains("no line has a session id"),
                noMatch.err());
        CliRun negativeDemo = CliRun.of("demo", "--duration", "PT-5S");
        assertEquals(2, negativeDemo.code());
        assertTrue(negativeDemo.err().contains("--duration must be a positive duration"), negativeDemo.err());
        CliRun bareNumber = CliRun.of("demo", "--duration", "60");
        assertEquals(2, bareNumber.code());
        assertTrue(bareNumber.err().contains("write it as 60s, 5m"), bareNumber.err());
        CliRun negativeGap = CliRun.of("bench", "stream", "--session-gap", "-2s");
        assertEquals(2, negativeGap.code());
        assertTrue(negativeGap.err().contains("must be positive"), negativeGap.err());
    }

    @Test
    void streamWithoutAModelIsAClearError() {
        CliRun r = CliRun.of("stream", "--model", dir.resolve("none").toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("model directory " + dir.resolve("none") + " does not exist"), r.err());
    }

    @Test
    void anUnusableMetricsAddressIsAClearErrorBeforeAnythingStarts() {
        CliRun r = CliRun.of("stream", "--model", dir.resolve("none").toString(), "--bootstrap-servers", "127.0.0.1:1",
                "--metrics-address", "no-such-host.invalid");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--metrics-address: unknown host or address 'no-such-host.invalid'"), r.err());
    }

    @Test
    void shipRejectsAHostNameThatCannotNameATopic() {
        CliRun r = CliRun.of("ship", "--path", dir.resolve("*.log").toString(), "--host", "bad/host",
                "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cannot name a Kafka topic"), r.err());
    }

    @Test
    void badKafkaPropertyIsAClearError() {
        CliRun r = CliRun.of("ship", "--path", dir.resolve("*.log").toString(), "--host", "h1",
                "--bootstrap-servers", "127.0.0.1:1", "--kafka-property", "novalue");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is not key=value"), r.err());
    }
}
