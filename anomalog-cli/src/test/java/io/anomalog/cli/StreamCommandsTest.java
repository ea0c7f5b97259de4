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
