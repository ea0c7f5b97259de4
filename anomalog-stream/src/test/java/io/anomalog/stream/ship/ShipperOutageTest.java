package io.anomalog.stream.ship;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;
import io.anomalog.stream.broker.EmbeddedKafka;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.testing.TopicReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a shipper does when the broker goes away, and with lines no Kafka record can hold. */
@Timeout(180)
class ShipperOutageTest {

    @TempDir
    Path dir;

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Lines of the log topic that are not heartbeats, as (offset -> message). */
    private static Map<Long, String> shipped(String bootstrap, String topic) throws IOException {
        Map<Long, String> out = new TreeMap<>();
        for (var r : TopicReader.readAll(bootstrap, topic)) {
            if (FilebeatEvent.isSignal(r.value())) {
                continue;
            }
            JsonNode n = Json.MAPPER.readTree(r.value());
            String previous = out.put(n.get("log").get("offset").asLong(), n.get("message").asText());
            assertTrue(previous == null, "offset " + n.get("log").get("offset") + " shipped twice");
        }
        return out;
    }

    @Test
    void linesLongerThanAKafkaRecordAreCutMarkedAndTheRestOfTheFileFlows() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            Path log = dir.resolve("big.log");
            append(log, "first\n");
            append(log, "x".repeat(20 * 1024 * 1024) + "\n");           // a 20 MB line
            append(log, "\"".repeat(600 * 1024) + "\n");                // twice as long once JSON-escaped
            append(log, "\u0001".repeat(300 * 1024) + "\n");            // six times as long once escaped
            append(log, "last\n");
            try (Shipper s = Shipper.builder(KafkaConnection.of(kafka.bootstrapServers()), "big").path(log.toString())
                    .registry(dir.resolve("reg.json")).build()) {
                assertEquals(5, s.shipAll());
                assertEquals(3, s.truncated());
            }
            List<JsonNode> events = new ArrayList<>();
            for (var r : TopicReader.readAll(kafka.bootstrapServers(), "logs.big")) {
                assertTrue(r.value().length <= 1_000_000, r.value().length + " bytes in one record");
                events.add(Json.MAPPER.readTree(r.value()));
            }
            assertEquals(List.of("first", "last"), List.of(events.get(0).get("message").asText(),
                    events.get(4).get("message").asText()));
            for (int i = 1; i <= 3; i++) {
                assertEquals("truncated", events.get(i).get("log").get("flags").get(0).asText());
                assertTrue(events.get(i).get("message").asText().length() > 1000);
            }
            assertFalse(events.get(0).get("log").has("flags"));
        }
    }

    @Test
    void aBrokerOutageIsRiddenOutWithNothingLostOrRepeated() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(dir.resolve("kafka")).build().start();
        try {
            Path log = dir.resolve("app.log");
            append(log, "");
            Shipper s = Shipper.builder(KafkaConnection.of(kafka.bootstrapServers()), "out").path(log.toString())
                    .registry(dir.resolve("reg.json")).build();
            Thread t = new Thread(() -> {
                try {
                    s.run();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            t.start();
            int n = 0;
            for (; n < 200; n++) {
                append(log, "before " + n + "\n");
            }
            Thread.sleep(1500);
            kafka.stop();                                         // the broker is away for a while
            for (; n < 400; n++) {
                append(log, "during " + n + "\n");
                if (n % 50 == 0) {
                    Thread.sleep(1000);
                }
            }
            kafka.start();
            for (; n < 600; n++) {
                append(log, "after " + n + "\n");
            }
            long deadline = System.currentTimeMillis() + 90_000;
            while (s.shipped() < 600 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            s.stop();
            t.join(15_000);
            assertFalse(t.isAlive(), "a stop request is seen within seconds");
            s.close();
            Map<Long, String> got = shipped(kafka.bootstrapServers(), "logs.out");
            assertEquals(600, got.size(), "every line once");
            List<String> order = new ArrayList<>(got.values());
            for (int i = 0; i < 600; i++) {
                assertTrue(order.get(i).endsWith(" " + i), order.get(i));
            }
        } finally {
            kafka.close();
        }
    }

    @Test
    void aShipperWaitingForABrokerThatIsNotThereStopsWithinSeconds() throws Exception {
        Path log = dir.resolve("x.log");
        append(log, "one\n");
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Shipper s = Shipper.builder(KafkaConnection.of("127.0.0.1:" + port), "nobroker").path(log.toString())
                .registry(dir.resolve("reg.json")).blockMillis(1000).build();
        Thread t = new Thread(() -> {
            try {
                s.run();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.start();
        Thread.sleep(3000);
        long asked = System.currentTimeMillis();
        s.stop();
        t.join(20_000);
        assertFalse(t.isAlive());
        assertTrue(System.currentTimeMillis() - asked < 20_000);
        assertEquals(0, s.shipped());
        s.close();
    }
}
