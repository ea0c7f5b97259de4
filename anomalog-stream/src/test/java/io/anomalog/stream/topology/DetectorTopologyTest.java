package io.anomalog.stream.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.ingest.LiveTemplateKeys;
import io.anomalog.core.io.Json;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.testing.KeyRuleDetector;
import io.anomalog.stream.testing.TestPipelines;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole topology, stage after stage: what a host's lines become on the output topics. */
class DetectorTopologyTest {

    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> h1;
    TestInputTopic<String, byte[]> h2;
    TestOutputTopic<String, byte[]> anomalies;
    TestOutputTopic<String, byte[]> dead;
    TestOutputTopic<String, byte[]> templates;
    TestOutputTopic<String, byte[]> parsed;
    KeyRuleDetector detector;
    StreamMetrics metrics = new StreamMetrics();

    @BeforeEach
    void setUp() {
        IngestPipeline pipeline = TestPipelines.detecting(
                LogFormats.regex("(?<timestamp>\\d\\d:\\d\\d:\\d\\d) (?<level>\\w+) (?<content>.*)"),
                "open <*>", "write <*> size <*>", "close <*>");
        detector = new KeyRuleDetector(Set.of(1, 2, 3));
        var settings = DetectorTopology.builder(pipeline, detector)
                .grouping(GroupingSpec.Sessions.byPattern("blk_-?\\d+").withEndEvent("^close ")
                        .withGap(Duration.ofSeconds(5))).quietHost(Duration.ofSeconds(5)).metrics(metrics);
        driver = new TopologyTestDriver(settings.build(), props("t"));
        h1 = driver.createInputTopic("logs.h1", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        h2 = driver.createInputTopic("logs.h2", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        anomalies = output("anomalies");
        dead = output("anomalog.deadletter");
        templates = output("anomalog.templates");
        parsed = output("logs.parsed");
    }

    private TestOutputTopic<String, byte[]> output(String topic) {
        return driver.createOutputTopic(topic, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    private static Properties props(String app) {
        Properties p = new Properties();
        p.put("application.id", app);
        p.put("bootstrap.servers", "unused:9092");
        return p;
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private static byte[] raw(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void scoresSessionsPerHostOnGapAndEndEventAndReportsAnomaliesWithTheirLines() throws Exception {
        h1.pipeInput(raw("10:00:00 INFO open blk_1"));
        // Filebeat's envelope (anomalog ship's would mark the host as one with heartbeats, never closed by the
        // wall clock)
        h1.pipeInput(raw("{\"@timestamp\":\"2024-03-07T10:00:01.000Z\",\"message\":\"10:00:01 INFO write blk_1 size 10\","
                + "\"host\":{\"name\":\"h1\"},\"log\":{\"file\":{\"path\":\"/var/log/a.log\"},\"offset\":42},"
                + "\"agent\":{\"type\":\"filebeat\"}}"));
        h1.pipeInput(raw("10:00:01 WARN disk blk_1 failing")); // unknown template -> anomalous
        h2.pipeInput(raw("10:00:00 INFO open blk_1")); // same id on another host: a separate session
        h2.pipeInput(raw("10:00:02 INFO close blk_1")); // end event closes h2's session at once
        assertTrue(anomalies.isEmpty(), "a normal session closed by its end event is not an anomaly");
        assertEquals(1, detector.scored.get("blk_1").get());
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertTrue(anomalies.isEmpty(), "gap not reached");
        driver.advanceWallClockTime(Duration.ofSeconds(4));
        var out = anomalies.readKeyValuesToList();
        assertEquals(1, out.size());
        assertEquals("h1/blk_1", out.get(0).key);
        JsonNode a = Json.MAPPER.readTree(out.get(0).value);
        assertEquals("h1", a.get("host").asText());
        assertEquals("blk_1", a.get("sessionId").asText());
        assertEquals(3, a.get("lines").size());
        assertEquals(42, a.get("lines").get(1).get("fileOffset").asLong());
        assertEquals("10:00:01 WARN disk blk_1 failing", a.get("lines").get(2).get("text").asText());
        assertEquals("gap", a.get("closeReason").asText());
        assertEquals("10:00:00", a.get("firstLineTime").asText());
        assertEquals("keyrule@2024-01-01T00:00:00Z", a.get("modelVersion").asText());
        assertTrue(a.get("summary").asText().startsWith("unknown keys"));
        assertEquals(1, a.get("unknownTemplates").size(), a.toString());
        String unknown = a.get("unknownTemplates").elements().next().asText();
        assertTrue(unknown.startsWith("disk ") && unknown.endsWith(" failing"), unknown);
        assertTrue(a.has("closedAt") && a.has("detectedAt") && a.has("firstSeenAt"));
        var t = templates.readKeyValuesToList();
        assertEquals(1, t.size(), "the new template was shared once");
        assertEquals(unknown, new String(t.get(0).value, StandardCharsets.UTF_8));
        assertEquals(2, detector.scored.get("blk_1").get(), "each session scored exactly once");
        driver.advanceWallClockTime(Duration.ofSeconds(60));
        assertTrue(anomalies.isEmpty(), "a closed session is not scored again");
        assertEquals(5, metrics.recordsIn.sum());
        assertEquals(5, metrics.parsed.sum());
        assertEquals(2, metrics.sessionsClosed.sum());
        assertEquals(1, metrics.anomalies.sum());
        assertEquals(0, metrics.openSessions());
        // every line, normalised, on logs.parsed, keyed by host
        var p = parsed.readKeyValuesToList();
        assertEquals(5, p.size());
        assertEquals("h1", p.get(0).key);
        JsonNode second = Json.MAPPER.readTree(p.get(1).value);
        assertEquals("INFO", second.get("level").asText());
        assertEquals(2, second.get("templateId").asInt());
        assertEquals("/var/log/a.log", second.get("source").asText());
        assertEquals(List.of("blk_1", "10"), List.of(second.get("parameters").get(0).asText(),
                second.get("parameters").get(1).asText()));
    }

    @Test
    void unusableRecordsBecomeDeadLettersAndTheRestGoesOn() throws Exception {
        h1.pipeInput(raw("10:00:00 INFO open blk_7"));
        h1.pipeInput(raw("{not json"));
        h1.pipeInput(raw("{\"msg\":\"no message field\"}"));
        h1.pipeInput(raw("10:00:00 INFO no session here"));
        h1.pipeInput((byte[]) null);
        h1.pipeInput(raw("10:00:01 INFO close blk_7"));
        List<String> dl = dead.readValuesToList().stream().map(v -> {
            try {
                return Json.MAPPER.readTree(v).get("reason").asText();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }).toList();
        assertEquals(4, dl.size(), dl.toString());
        assertTrue(dl.get(0).startsWith("not a usable JSON log event"), dl.get(0));
        assertTrue(dl.get(1).contains("no text field 'message'"), dl.get(1));
        assertTrue(dl.get(2).startsWith("no session id"), dl.get(2));
        assertEquals("empty record", dl.get(3));
        assertEquals(1, detector.scored.get("blk_7").get(), "the good session was still scored");
        assertTrue(anomalies.isEmpty());
        assertEquals(4, metrics.deadLetters.sum());
    }

    @Test
    void openSessionsAndDeadLettersAreCountedPerHost() {
        h1.pipeInput(raw("10:00:00 INFO open blk_1"));
        h1.pipeInput(raw("10:00:00 INFO open blk_2"));
        h1.pipeInput(raw("{not json"));
        h2.pipeInput(raw("10:00:00 INFO open blk_1"));
        h2.pipeInput(raw("10:00:00 INFO no session here"));
        h2.pipeInput((byte[]) null);
        driver.advanceWallClockTime(Duration.ofSeconds(1)); // the gauge is reported at the next check of the gap
        assertEquals(java.util.Map.of("h1", 2L, "h2", 1L), metrics.openSessionsByHost());
        assertEquals(3, metrics.openSessions());
        assertEquals(java.util.Map.of("h1", 1L, "h2", 2L), metrics.deadLettersByHost());
        assertEquals(3, metrics.deadLetters.sum());
        h1.pipeInput(raw("10:00:01 INFO close blk_2"));
        assertEquals(java.util.Map.of("h1", 1L, "h2", 1L), metrics.openSessionsByHost(), "an end event closes one");
        h2.pipeInput(raw("10:00:01 INFO close blk_1"));
        assertEquals(java.util.Map.of("h1", 1L), metrics.openSessionsByHost(), "a host without open sessions drops out");
        String text = metrics.prometheus();
        assertTrue(text.contains("anomalog_host_open_sessions{host=\"h1\"} 1\n"), text);
        assertTrue(text.contains("anomalog_host_dead_letters_total{host=\"h2\"} 2\n"), text);
    }

    @Test
    void twoDetectorInstancesPublishOneNewTemplateUnderOneKey() {
        List<String> k1 = newTemplateKeys("app-1");
        List<String> k2 = newTemplateKeys("app-2");
        assertEquals(1, k1.size());
        assertEquals(k1, k2);
        assertTrue(LiveTemplateKeys.isLive(Integer.parseInt(k1.get(0))));
    }

    /** One instance with its own copy of the model's store reads a line of a template the store lacks. */
    private static List<String> newTemplateKeys(String app) {
        TemplateStore store = TestPipelines.store("open <*>", "write <*> size <*>");
        // the instances learned different things before: their next internal ids differ
        if (app.endsWith("2")) {
            store.create("close <*>");
        }
        IngestPipeline p = IngestPipeline.builder(LogFormats.raw()).store(store)
                .mode(io.anomalog.core.template.MinerSettings.Mode.DETECT).build();
        try (TopologyTestDriver d = new TopologyTestDriver(DetectorTopology.builder(p,
                new KeyRuleDetector(Set.of(1, 2))).build(), props(app))) {
            TestInputTopic<String, byte[]> in = d.createInputTopic("logs.h1", Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<String, byte[]> t = d.createOutputTopic("anomalog.templates",
                    Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
            in.pipeInput(raw("open blk_1"));
            in.pipeInput(raw("disk of blk_1 failing"));
            return t.readKeyValuesToList().stream()
                    .filter(kv -> new String(kv.value, StandardCharsets.UTF_8).contains("failing"))
                    .map(kv -> kv.key).toList();
        }
    }

    @Test
    void sessionLinesAndHeadsSurviveTheBinaryRoundTrip() {
        SessionState.Line big = new SessionState.Line(3, "x".repeat(70_000), "ts", "logs.h", 2, 9, 11);
        SessionState.Line small = new SessionState.Line(4, "y", null, "logs.h", 2, 10, 12);
        assertEquals(big, SessionState.Line.fromBytes(big.toBytes()));
        assertEquals(small, SessionState.Line.fromBytes(small.toBytes()));
        SessionState.Head h = new SessionState.Head("h", "blk_1", 1, 5, 5, 100).next(8, 90);
        assertEquals(new SessionState.Head("h", "blk_1", 2, 5, 8, 100), SessionState.Head.fromBytes(h.toBytes()),
                "a late record does not move the session's time back");
        byte[] b1 = big.toBytes();
        byte[] b2 = small.toBytes();
        int head = SessionState.CHUNK_HEAD;
        byte[] chunk = new byte[head + b1.length + b2.length + 100];
        System.arraycopy(b1, 0, chunk, head, b1.length);
        System.arraycopy(b2, 0, chunk, head + b1.length, b2.length);
        SessionState.writeChunkHead(h.next(12, 130), chunk);
        assertEquals(List.of(big, small), SessionState.decodeChunk(chunk, head + b1.length + b2.length));
        assertEquals(new SessionState.Head("h", "blk_1", 3, 5, 12, 130),
                SessionState.current(new SessionState.Head("h", "blk_1", 1, 5, 5, 100), chunk),
                "a session's counts and times are those its last chunk starts with");
        String key = SessionState.headKey("h", "blk_1");
        assertEquals(key, SessionState.headOf(SessionState.chunkKey(key, 7)));
        assertEquals(7, SessionState.chunkOf(SessionState.chunkKey(key, 7)));
        assertTrue(SessionState.isChunkKey(SessionState.chunkKey(key, 0)) && !SessionState.isChunkKey(key));
    }

    @Test
    void sessionKeysOfOneHostDifferInTheirFirstBytesSoTheRecordCacheComparesLittle() {
        java.util.Set<String> firstTwo = new java.util.HashSet<>();
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = SessionState.headKey("hdfs-datanode-17", "blk_-16089996879198629" + (10 + i % 90) + i);
            assertTrue(key.endsWith("hdfs-datanode-17/blk_-16089996879198629" + (10 + i % 90) + i), key);
            assertEquals(key, SessionState.headKey("hdfs-datanode-17", "blk_-16089996879198629" + (10 + i % 90) + i),
                    "the same session always gets the same key");
            keys.add(key);
            firstTwo.add(key.substring(0, 2));
        }
        assertEquals(1000, keys.size());
        // 256 two-hex-digit prefixes: ids that share all but their last digits still spread over nearly all of them
        assertTrue(firstTwo.size() > 240, firstTwo.size() + " distinct first two characters");
    }
}
