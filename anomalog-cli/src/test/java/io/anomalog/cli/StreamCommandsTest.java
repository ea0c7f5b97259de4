package io.anomalog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulate, stream and ship commands' input handling (the pipelines themselves are tested in anomalog-stream). */
class StreamCommandsTest {

    @TempDir
    Path dir;

    private static Object[] run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = AnomalogCli.execute(args);
            return new Object[]{code, err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void simulateHdfsWritesOneLogPerHostAndLabels() throws Exception {
        Object[] r = run("simulate", "hdfs", "--hosts", "2", "--sessions", "40", "--anomaly-rate", "0.5",
                "--out", dir.toString());
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(Files.size(dir.resolve("hadoop1/hdfs.log")) > 0);
        assertTrue(Files.size(dir.resolve("hadoop2/hdfs.log")) > 0);
        List<String> labels = Files.readAllLines(dir.resolve("labels.csv"));
        assertEquals(41, labels.size());
        assertTrue(labels.stream().anyMatch(l -> l.endsWith(",Anomaly")));
    }

    @Test
    void streamWithoutAModelIsAClearError() {
        Object[] r = run("stream", "--model", dir.resolve("none").toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("no template store for model"), (String) r[1]);
    }

    @Test
    void shipRejectsAHostNameThatCannotNameATopic() {
        Object[] r = run("ship", "--path", dir.resolve("*.log").toString(), "--host", "bad/host",
                "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("cannot name a Kafka topic"), (String) r[1]);
    }

    @Test
    void badKafkaPropertyIsAClearError() {
        Object[] r = run("ship", "--path", dir.resolve("*.log").toString(), "--host", "h1",
                "--bootstrap-servers", "127.0.0.1:1", "--kafka-property", "novalue");
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("is not key=value"), (String) r[1]);
    }
}
