package io.anomalog.stream.ship;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;
import io.anomalog.stream.broker.EmbeddedKafka;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.testing.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShipperTest {

    static EmbeddedKafka kafka;
    static KafkaConnection conn;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.builder().build().start();
        conn = KafkaConnection.of(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private static void append(Path file, String... lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<JsonNode> events(String topic) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (var r : lines(topic)) {
            out.add(Json.MAPPER.readTree(r.value()));
        }
        return out;
    }

    /** The records of a topic that carry lines: a shipper that stops says so in a record of its own. */
    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> lines(String topic) {
        return TopicReader.readAll(kafka.bootstrapServers(), topic).stream()
                .filter(r -> !FilebeatEvent.isSignal(r.value())).toList();
    }

    private static List<String> messages(String topic) throws IOException {
        return events(topic).stream().map(n -> n.get("message").asText()).toList();
    }

    @Test
    void allOfAHostsFilesGoToOnePartitionKeyedByTheHost() throws Exception {
        Topics.ensure(conn, List.of(Topics.Spec.of("logs.h-key", 4, 1)));
        for (String f : List.of("a.log", "b.log", "c.log", "d.log")) {
            append(dir.resolve(f), f + " 1", f + " 2");
        }
        try (Shipper s = Shipper.builder(conn, "h-key").path(dir.resolve("*.log").toString())
                .registry(dir.resolve("reg.json")).topic(4, 1).build()) {
            assertEquals(8, s.shipOnce());
        }
        var records = lines("logs.h-key");
        assertEquals(8, records.size());
        // four files whose paths would hash to several partitions: one session id may appear in any of them
        assertEquals(1, records.stream().map(r -> r.partition()).distinct().count());
        assertTrue(records.stream().allMatch(r -> "h-key".equals(new String(r.key(), StandardCharsets.UTF_8))));
    }

    @Test
    void aLastPassShipsAFinalLineWithoutItsNewlineAndAFollowingPassDoesNotShipItAgain() throws Exception {
        Path log = dir.resolve("tail.log");
        Files.writeString(log, "one\ntwo\nthree without newline", StandardCharsets.UTF_8);
        try (Shipper s = Shipper.builder(conn, "h-tail").path(log.toString()).registry(dir.resolve("tail.json"))
                .build()) {
            assertEquals(2, s.shipOnce(), "while following, a line still being written waits");
            assertEquals(1, s.shipAll(), "the last pass ships it");
            assertEquals(0, s.shipAll());
        }
        assertEquals(List.of("one", "two", "three without newline"), messages("logs.h-tail"));
    }

    @Test
    void aLastPassAlsoShipsTheMultiLineEntryStillHeldBack() throws Exception {
        Path log = dir.resolve("tail.log");
        append(log, "2024-01-01 INFO one", "2024-01-01 ERROR two", "java.lang.Exception: x", "\tat a.B.c(B.java:1)");
        try (Shipper s = Shipper.builder(conn, "h-last").path(log.toString()).registry(dir.resolve("reg.json"))
                .multilineStart("^\\d{4}-").multilineTimeoutMillis(60_000).build()) {
            // following the file, the last entry waits: more of its lines may still come
            assertEquals(1, s.shipOnce());
            assertEquals(List.of("2024-01-01 INFO one"), messages("logs.h-last"));
            // a last pass before exiting (ship --once) publishes it whole
            assertEquals(1, s.shipAll());
        }
        assertEquals(List.of("2024-01-01 INFO one", "2024-01-01 ERROR two\njava.lang.Exception: x\n\tat a.B.c(B.java:1)"),
                messages("logs.h-last"));
    }

    @Test
    void followsAppendsRotationAndTruncationInFilebeatFormat() throws Exception {
        Path log = dir.resolve("app.log");
        append(log, "one", "two");
        try (Shipper s = Shipper.builder(conn, "h-rot").path(dir.resolve("*.log").toString())
                .registry(dir.resolve("reg.json")).closeInactiveMillis(0).build()) {
            assertEquals(2, s.shipOnce());
            Files.writeString(log, "thr", StandardOpenOption.APPEND); // a line still being written
            assertEquals(0, s.shipOnce());
            Files.writeString(log, "ee\n", StandardOpenOption.APPEND);
            assertEquals(1, s.shipOnce());
            // rotation: renamed away, lines written to the old file before the rename are still shipped
            Files.move(log, dir.resolve("app.log.1"), StandardCopyOption.ATOMIC_MOVE);
            append(dir.resolve("app.log.1"), "four");
            append(log, "five");
            s.shipOnce();
            s.shipOnce();
            // truncation: the file is read again from its start
            Files.writeString(log, "six\n", StandardOpenOption.TRUNCATE_EXISTING);
            s.shipOnce();
        }
        List<JsonNode> ev = events("logs.h-rot");
        List<String> msgs = ev.stream().map(n -> n.get("message").asText()).toList();
        assertEquals(List.of("one", "two", "three", "four", "five", "six"), msgs.stream().sorted(
                java.util.Comparator.comparingInt(List.of("one", "two", "three", "four", "five", "six")::indexOf)).toList());
        assertEquals(6, msgs.size());
        JsonNode first = ev.get(0);
        assertEquals("h-rot", first.get("host").get("name").asText());
        assertEquals(log.toString(), first.get("log").get("file").get("path").asText());
        assertEquals(0, first.get("log").get("offset").asLong());
        assertEquals(4, ev.get(1).get("log").get("offset").asLong());
        assertTrue(first.has("@timestamp"));
    }

    @Test
    void joinsStackTracesAndAppliesFilters() throws Exception {
        Path log = dir.resolve("svc.log");
        append(log, "2024-01-01 ERROR boom", "java.lang.IllegalStateException: x", "\tat a.B.c(B.java:1)",
                "2024-01-01 DEBUG noise", "2024-01-01 INFO done");
        try (Shipper s = Shipper.builder(conn, "h-ml").path(log.toString()).registry(dir.resolve("reg.json"))
                .multilineStart("^\\d{4}-").multilineTimeoutMillis(0)
                .filter(LineFilter.of(List.of(), List.of("DEBUG"))).build()) {
            s.shipOnce();
            assertEquals(1, s.filtered());
        }
        assertEquals(List.of("2024-01-01 ERROR boom\njava.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)",
                "2024-01-01 INFO done"), messages("logs.h-ml"));
    }

    @Test
    void restartMidFileLosesAndRepeatsNothingEvenWithAStaleRegistry() throws Exception {
        Path log = dir.resolve("big.log");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            lines.add("line " + i);
        }
        append(log, lines.subList(0, 1000).toArray(String[]::new));
        Path reg = dir.resolve("reg.json");
        try (Shipper s = Shipper.builder(conn, "h-rs").path(log.toString()).registry(reg).batchEntries(300).build()) {
            s.shipOnce();
        }
        // A crash after a commit but before the registry write leaves an older registry behind.
        Path stale = dir.resolve("stale.json");
        Files.copy(reg, stale);
        append(log, lines.subList(1000, 2000).toArray(String[]::new));
        try (Shipper s = Shipper.builder(conn, "h-rs").path(log.toString()).registry(reg).batchEntries(300).build()) {
            s.shipOnce();
        }
        Files.copy(stale, reg, StandardCopyOption.REPLACE_EXISTING);
        append(log, lines.subList(2000, 3000).toArray(String[]::new));
        try (Shipper s = Shipper.builder(conn, "h-rs").path(log.toString()).registry(reg).batchEntries(300).build()) {
            s.shipOnce();
        }
        assertEquals(lines, messages("logs.h-rs"));
    }

    @Test
    void aShipperDyingInTheMiddleOfATransactionLeavesNothingAndTheNextShipsEveryLineOnce() throws Exception {
        Path log = dir.resolve("mid.log");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            lines.add("entry " + i);
        }
        append(log, lines.subList(0, 400).toArray(String[]::new));
        Path reg = dir.resolve("reg.json");
        try (Shipper s = Shipper.builder(conn, "h-mid").path(log.toString()).registry(reg).batchEntries(250).build()) {
            s.shipOnce();
        }
        append(log, lines.subList(400, 1000).toArray(String[]::new));
        // A shipper process dies while its transaction is open: some of the next lines are sent, nothing is
        // committed, no registry is written. (Its producer, with the shipper's transactional id, is left open.)
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        p.put("transactional.id", "anomalog-ship-h-mid");
        var dying = new org.apache.kafka.clients.producer.KafkaProducer<>(conn.properties(p),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        dying.initTransactions();
        dying.beginTransaction();
        for (String l : lines.subList(400, 550)) {
            dying.send(new org.apache.kafka.clients.producer.ProducerRecord<>("logs.h-mid",
                    FilebeatEvent.of(l, "h-mid", log.toString(), 0).toJson()));
        }
        dying.flush();
        // the restarted shipper fences the dead one, whose open transaction is aborted, and goes on from the registry
        try (Shipper s = Shipper.builder(conn, "h-mid").path(log.toString()).registry(reg).batchEntries(250).build()) {
            s.shipOnce();
        } finally {
            dying.close(java.time.Duration.ZERO);
        }
        assertEquals(lines, messages("logs.h-mid"), "every line once, in order");
    }
}
