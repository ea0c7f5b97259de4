package io.anomalog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;
import io.anomalog.core.session.SessionIdRule;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.topology.DetectorTopology;
import io.anomalog.stream.topology.StreamModel;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same raw log through batch {@code detect} and through the stream topology gives the same log keys, the
 * same sessions and the same verdicts: both run the one ingest pipeline, grouping and detector.
 */
class BatchAndLiveAgreeTest {

    static final Path HDFS = DeepLogCommandsTest.REPO.resolve("data/hdfs");

    @TempDir
    Path dir;

    @Test
    void aRawFileGetsTheSameKeysSessionsAndVerdictsInBatchAndLive() throws Exception {
        Path log = HDFS.resolve("HDFS_5k.log");
        Path model = dir.resolve("model");
        // trained on half the blocks' lines only, so the other half holds templates the model never saw
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        Path train = dir.resolve("train.log");
        Files.write(train, lines.subList(0, lines.size() / 2), StandardCharsets.UTF_8);
        CliRun t = CliRun.of("train", "ngram", "--logs", train.toString(), "--format", "hdfs", "--session-id",
                "blk_-?\\d+", "-o", model.toString());
        assertEquals(0, t.code(), t.err());

        // batch: the model's own format and grouping, every verdict written
        Path out = dir.resolve("batch.jsonl");
        CliRun d = CliRun.of("detect", "-m", model.toString(), "--logs", log.toString(), "--all", "-o", out.toString());
        assertEquals(0, d.code(), d.err());
        Map<String, String> batchKeys = new TreeMap<>();
        Map<String, Boolean> batchVerdicts = new TreeMap<>();
        for (String l : Files.readAllLines(out)) {
            if (l.isBlank()) {
                continue;
            }
            JsonNode v = Json.MAPPER.readTree(l);
            batchKeys.put(v.get("sequenceId").asText(), v.get("keys").toString());
            batchVerdicts.put(v.get("sequenceId").asText(), v.get("anomalous").asBoolean());
        }

        // live: the same lines, in order, on one host's topic
        Map<String, Boolean> liveVerdicts = new TreeMap<>();
        Map<String, String> anomalyKeys = new TreeMap<>();
        Map<String, List<Integer>> liveKeys = new LinkedHashMap<>();
        StreamMetrics metrics = new StreamMetrics();
        try (StreamModel m = StreamModel.load(model, null)) {
            var settings = DetectorTopology.builder(m.pipeline(m.trainedFormat(),
                    io.anomalog.core.ingest.BadLinePolicy.defaults()), m.detector()).grouping(m.trainedGrouping())
                    .inMemoryState(true).metrics(metrics);
            Properties p = new Properties();
            p.put("application.id", "agree");
            p.put("bootstrap.servers", "unused:9092");
            try (TopologyTestDriver driver = new TopologyTestDriver(settings.build(), p)) {
                TestInputTopic<String, byte[]> in = driver.createInputTopic("logs.h1", Serdes.String().serializer(),
                        Serdes.ByteArray().serializer());
                long shippedAt = System.currentTimeMillis();
                for (String l : lines) {
                    in.pipeInput("h1", l.getBytes(StandardCharsets.UTF_8), shippedAt);
                }
                // the shipper, with nothing more to ship, sends a heartbeat every second: the host's time goes
                // past every gap
                for (long later = shippedAt + 1_000; later <= shippedAt + Duration.ofMinutes(2).toMillis();
                        later += io.anomalog.stream.ship.FilebeatEvent.HEARTBEAT_MILLIS) {
                    in.pipeInput("h1", io.anomalog.stream.ship.FilebeatEvent.heartbeat("h1",
                            java.time.Instant.ofEpochMilli(later).toString()), later);
                }
                driver.advanceWallClockTime(Duration.ofSeconds(2));
                var anomalies = driver.createOutputTopic("anomalies", Serdes.String().deserializer(),
                        Serdes.ByteArray().deserializer()).readValuesToList();
                for (byte[] a : anomalies) {
                    JsonNode n = Json.MAPPER.readTree(a);
                    liveVerdicts.put(n.get("sessionId").asText(), true);
                    anomalyKeys.put(n.get("sessionId").asText(), n.get("keys").toString());
                }
                SessionIdRule blocks = SessionIdRule.pattern("blk_-?\\d+");
                for (byte[] e : driver.createOutputTopic("logs.parsed", Serdes.String().deserializer(),
                        Serdes.ByteArray().deserializer()).readValuesToList()) {
                    JsonNode n = Json.MAPPER.readTree(e);
                    for (String id : blocks.idsIn(n.get("message").asText())) {
                        liveKeys.computeIfAbsent(id, k -> new ArrayList<>()).add(n.get("templateId").asInt());
                    }
                }
            }
        }
        assertEquals(batchKeys.size(), metrics.sessionsClosed.sum(), "the same number of sessions");
        Map<String, String> live = new TreeMap<>();
        liveKeys.forEach((id, keys) -> live.put(id, keys.toString().replace(" ", "")));
        assertEquals(batchKeys, live, "every session has the same keys");
        Map<String, Boolean> batchAnomalies = new TreeMap<>(batchVerdicts);
        batchAnomalies.values().removeIf(a -> !a);
        assertEquals(batchAnomalies, liveVerdicts, "the same sessions are anomalous");
        assertTrue(batchAnomalies.size() >= 5, "the half the model never saw brings anomalies: " + batchAnomalies);
        anomalyKeys.forEach((id, keys) -> assertEquals(batchKeys.get(id), keys, id));
    }
}
