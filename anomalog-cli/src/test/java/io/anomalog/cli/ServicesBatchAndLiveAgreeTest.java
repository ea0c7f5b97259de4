package io.anomalog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalog.core.io.Json;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.simulate.ServicesSimulator;
import io.anomalog.stream.simulate.ServicesWriter;
import io.anomalog.stream.ship.FilebeatEvent;
import io.anomalog.stream.topology.DetectorTopology;
import io.anomalog.stream.topology.StreamModel;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A simulated multi-service log judged by the reconstruction detector in batch ({@code detect}) and in the stream
 * topology: both compute the window feature vectors with the one extractor and the model's window feature model,
 * per service and host, so they flag the same windows and name the same features.
 */
class ServicesBatchAndLiveAgreeTest {

    static final List<String> HOSTS = List.of("gateway-1", "auth-1", "orders-1");

    @TempDir
    static Path dir;
    static Path model;
    /** Every host's lines, in file order. */
    static final Map<String, List<String>> lines = new LinkedHashMap<>();
    static String end;

    @BeforeAll
    static void simulateAndTrain() throws Exception {
        Path sim = dir.resolve("sim");
        ServicesWriter.write(ServicesSimulator.builder().entries(40_000).days(0.2).anomaliesPerDay(8).seed(42)
                .build(), 42, sim);
        end = ServicesWriter.readSettings(sim).getProperty("end");
        Instant cut = ServicesSimulator.DEFAULT_START.plus(Duration.ofMinutes(200));
        List<String> args = new ArrayList<>(List.of("train", "reconstruction"));
        for (String h : HOSTS) {
            List<String> all = Files.readAllLines(ServicesWriter.logFile(sim, h), StandardCharsets.UTF_8);
            lines.put(h, all);
            // trained on the first 200 minutes; the rest is judged as new
            List<String> train = all.stream().filter(l -> time(l).isBefore(cut)).toList();
            Path f = dir.resolve("train-" + h + ".jsonl");
            Files.write(f, train, StandardCharsets.UTF_8);
            args.addAll(List.of("--logs", f.toString()));
        }
        model = dir.resolve("model");
        args.addAll(List.of("--format", "json", "--time-window", "1m", "-p", "epochs=8", "-p", "hidden=8",
                "-o", model.toString()));
        CliRun t = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, t.code(), t.err());
    }

    static Instant time(String line) {
        try {
            return Instant.parse(Json.MAPPER.readTree(line).get("timestamp").asText());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Batch: window id to the names of its worst features, for the windows flagged. */
    static Map<String, List<String>> batch(Map<String, List<String>> input, Map<String, Boolean> verdicts)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("detect", "-m", model.toString(), "--all"));
        for (var e : input.entrySet()) {
            Path f = dir.resolve("detect-" + e.getKey() + ".jsonl");
            Files.write(f, e.getValue(), StandardCharsets.UTF_8);
            args.addAll(List.of("--logs", f.toString()));
        }
        Path out = dir.resolve("batch.jsonl");
        args.addAll(List.of("-o", out.toString()));
        CliRun d = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, d.code(), d.err());
        Map<String, List<String>> flagged = new TreeMap<>();
        for (String l : Files.readAllLines(out)) {
            if (l.isBlank()) {
                continue;
            }
            JsonNode v = Json.MAPPER.readTree(l);
            verdicts.put(v.get("sequenceId").asText(), v.get("anomalous").asBoolean());
            if (v.get("anomalous").asBoolean()) {
                flagged.put(v.get("sequenceId").asText(), names(v.get("explanation")));
            }
        }
        return flagged;
    }

    /** Live: each host's lines on its own topic through the topology; window id to its worst features. */
    static Map<String, List<String>> live(Map<String, List<String>> input, StreamMetrics metrics) throws Exception {
        Map<String, List<String>> flagged = new TreeMap<>();
        try (StreamModel m = StreamModel.load(model, null)) {
            var settings = DetectorTopology.builder(m.pipeline(m.trainedFormat(),
                    io.anomalog.core.ingest.BadLinePolicy.defaults()), m.detector()).grouping(m.trainedGrouping())
                    .features(m.features()).inMemoryState(true).publishParsed(false).metrics(metrics);
            Properties p = new Properties();
            p.put("application.id", "services-agree");
            p.put("bootstrap.servers", "unused:9092");
            try (TopologyTestDriver driver = new TopologyTestDriver(settings.build(), p)) {
                long shippedAt = System.currentTimeMillis();
                long later = shippedAt + Duration.ofMinutes(3).toMillis();
                for (var e : input.entrySet()) {
                    TestInputTopic<String, byte[]> in = driver.createInputTopic("logs." + e.getKey(),
                            Serdes.String().serializer(), Serdes.ByteArray().serializer());
                    for (String l : e.getValue()) {
                        in.pipeInput(e.getKey(), l.getBytes(StandardCharsets.UTF_8), shippedAt);
                    }
                    // nothing more to ship: a heartbeat every second moves the host's time past its last window
                    for (long t = shippedAt + 1_000; t <= later; t += FilebeatEvent.HEARTBEAT_MILLIS) {
                        in.pipeInput(e.getKey(), FilebeatEvent.heartbeat(e.getKey(), Instant.ofEpochMilli(t)
                                .toString()), t);
                    }
                }
                driver.advanceWallClockTime(Duration.ofSeconds(2));
                for (byte[] a : driver.createOutputTopic("anomalies", Serdes.String().deserializer(),
                        Serdes.ByteArray().deserializer()).readValuesToList()) {
                    JsonNode n = Json.MAPPER.readTree(a);
                    assertEquals("reconstruction", n.get("method").asText());
                    flagged.put(n.get("sessionId").asText(), names(n.get("explanation")));
                }
            }
        }
        return flagged;
    }

    static List<String> names(JsonNode explanation) {
        List<String> out = new ArrayList<>();
        explanation.get("worst").forEach(f -> {
            assertTrue(f.has("observed") && f.has("reconstructed"), f.toString());
            out.add(f.get("name").asText());
        });
        return out;
    }

    @Test
    void batchAndLiveFlagTheSameWindowsNamingTheSameFeatures() throws Exception {
        Map<String, Boolean> verdicts = new TreeMap<>();
        Map<String, List<String>> batch = batch(lines, verdicts);
        StreamMetrics metrics = new StreamMetrics();
        Map<String, List<String>> live = live(lines, metrics);
        assertEquals(verdicts.size(), metrics.sessionsClosed.sum(), "live judges every window batch judges");
        assertTrue(verdicts.keySet().stream().allMatch(id -> HOSTS.stream().anyMatch(h -> id.contains("@" + h + "@"))),
                "windows are per service and host");
        assertFalse(batch.isEmpty(), "the simulated anomalies are flagged");
        assertEquals(batch, live);
    }

    @Test
    void aPlantedErrorSpikeIsFlaggedLive() throws Exception {
        // a minute of orders-1 after training: every entry in it is answered again three times with an error
        String minute = "2024-03-07T04:00";
        String window = "orders@orders-1@" + minute + ":00Z";
        Map<String, List<String>> input = new LinkedHashMap<>();
        input.put("orders-1", new ArrayList<>());
        int planted = 0;
        for (String l : lines.get("orders-1")) {
            input.get("orders-1").add(l);
            ObjectNode n = (ObjectNode) Json.MAPPER.readTree(l);
            if (n.get("timestamp").asText().startsWith(minute)) {
                n.put("level", "ERROR");
                n.put("status", 500);
                for (int i = 0; i < 3; i++) {
                    input.get("orders-1").add(Json.MAPPER.writeValueAsString(n));
                    planted++;
                }
            }
        }
        assertTrue(planted > 10, "the minute has entries: " + planted);
        Map<String, List<String>> quiet = live(Map.of("orders-1", lines.get("orders-1")), new StreamMetrics());
        assertFalse(quiet.containsKey(window), "the minute is normal as simulated: " + quiet.get(window));
        Map<String, List<String>> spiked = live(input, new StreamMetrics());
        assertTrue(spiked.containsKey(window), "the spike is flagged: " + spiked.keySet());
        List<String> named = spiked.get(window);
        assertTrue(named.stream().anyMatch(f -> f.equals("level_error") || f.equals("error_rate")
                || f.equals("status_500")), "the explanation names the errors: " + named);
    }
}
