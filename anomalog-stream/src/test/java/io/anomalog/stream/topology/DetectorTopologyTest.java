package io.anomalog.stream.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogRecord;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.ship.FilebeatEvent;
import io.anomalog.stream.testing.KeyRuleDetector;
import io.anomalog.stream.testing.MaskingMiner;
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
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectorTopologyTest {

    /** "HH:MM:SS LEVEL content" */
    static final LogFormat FORMAT = new LogFormat() {
        final Pattern p = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d) (\\w+) (.*)");

        @Override
        public String name() {
            return "test";
        }

        @Override
        public List<String> fieldNames() {
            return List.of("Time", "Level");
        }

        @Override
        public LogRecord parse(String line, String source, long lineNumber, long offset) {
            Matcher m = p.matcher(line);
            if (!m.matches()) {
                return new LogRecord(source, lineNumber, offset, null, null, Map.of(), line, false, false);
            }
            return new LogRecord(source, lineNumber, offset, null, m.group(1), Map.of("Level", m.group(2)), m.group(3),
                    true, false);
        }
    };

    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> h1;
    TestInputTopic<String, byte[]> h2;
    TestOutputTopic<String, byte[]> anomalies;
    TestOutputTopic<String, byte[]> dead;
    TestOutputTopic<String, byte[]> templates;
    KeyRuleDetector detector;
    StreamMetrics metrics = new StreamMetrics();

    @BeforeEach
    void setUp() {
        MaskingMiner miner = new MaskingMiner().known("open <*>", 1).known("write <*> size <*>", 2)
                .known("close <*>", 3);
        detector = new KeyRuleDetector(Set.of(1, 2, 3));
        var settings = DetectorTopology.builder(miner, detector).format(FORMAT).sessionIds("blk_-?\\d+")
                .endEvent("^close ").sessionGap(Duration.ofSeconds(5)).metrics(metrics);
        Properties p = new Properties();
        p.put("application.id", "t");
        p.put("bootstrap.servers", "unused:9092");
        driver = new TopologyTestDriver(settings.build(), p);
        h1 = driver.createInputTopic("logs.h1", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        h2 = driver.createInputTopic("logs.h2", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        anomalies = driver.createOutputTopic("anomalies", Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        dead = driver.createOutputTopic("anomalog.deadletter", Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        templates = driver.createOutputTopic("anomalog.templates", Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
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
        h1.pipeInput(FilebeatEvent.of("10:00:01 INFO write blk_1 size 10", "h1", "/var/log/a.log", 42).toJson());
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
        // the record names the text of the template the model had no key for
        assertEquals(1, a.get("unknownTemplates").size(), a.toString());
        assertEquals("disk <*> failing", a.get("unknownTemplates").elements().next().asText());
        assertTrue(a.has("closedAt") && a.has("detectedAt") && a.has("firstSeenAt"));
        // the new template was shared once
        var t = templates.readKeyValuesToList();
        assertEquals(1, t.size());
        assertEquals("disk <*> failing", new String(t.get(0).value, StandardCharsets.UTF_8));
        assertEquals(2, detector.scored.get("blk_1").get(), "each session scored exactly once");
        driver.advanceWallClockTime(Duration.ofSeconds(60));
        assertTrue(anomalies.isEmpty(), "a closed session is not scored again");
        assertEquals(5, metrics.recordsIn.sum());
        assertEquals(5, metrics.parsed.sum());
        assertEquals(2, metrics.sessionsClosed.sum());
        assertEquals(1, metrics.anomalies.sum());
        assertEquals(0, metrics.openSessions());
    }

    @Test
    void unusableRecordsBecomeDeadLettersAndTheRestGoesOn() throws Exception {
        h1.pipeInput(raw("10:00:00 INFO open blk_7"));
        h1.pipeInput(raw("{not json"));
        h1.pipeInput(raw("{\"msg\":\"no message field\"}"));
        h1.pipeInput(raw("garbage without a header"));
        h1.pipeInput(raw("10:00:00 INFO no session here"));
        h1.pipeInput((byte[]) null);
        h1.pipeInput(raw("10:00:01 INFO close blk_7"));
        var dl = dead.readValuesToList().stream().map(v -> {
            try {
                return Json.MAPPER.readTree(v).get("reason").asText();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }).toList();
        assertEquals(5, dl.size());
        assertTrue(dl.get(0).startsWith("not a usable JSON log event"), dl.get(0));
        assertTrue(dl.get(1).contains("no text field 'message'"), dl.get(1));
        assertEquals("line does not match log format test", dl.get(2));
        assertTrue(dl.get(3).startsWith("no session id"), dl.get(3));
        assertEquals("empty record", dl.get(4));
        assertEquals(1, detector.scored.get("blk_7").get(), "the good session was still scored");
        assertTrue(anomalies.isEmpty());
        assertEquals(5, metrics.deadLetters.sum());
    }

    @Test
    void sessionLinesAndHeadsSurviveTheBinaryRoundTrip() {
        SessionState.Line big = new SessionState.Line(3, "x".repeat(70_000), "ts", "logs.h", 2, 9, 11);
        SessionState.Line small = new SessionState.Line(4, "y", null, "logs.h", 2, 10, 12);
        assertEquals(big, SessionState.Line.fromBytes(big.toBytes()));
        assertEquals(small, SessionState.Line.fromBytes(small.toBytes()));
        SessionState.Head h = new SessionState.Head("h", "blk_1", 1, 5, 5).next(8);
        assertEquals(new SessionState.Head("h", "blk_1", 2, 5, 8), SessionState.Head.fromBytes(h.toBytes()));
        // A whole session as the store keeps it: the head, then the encoded lines (here with spare capacity).
        byte[] b1 = big.toBytes();
        byte[] b2 = small.toBytes();
        byte[] lines = java.util.Arrays.copyOf(b1, b1.length + b2.length + 100);
        System.arraycopy(b2, 0, lines, b1.length, b2.length);
        SessionState st = SessionState.decode(SessionState.encode(h, lines, b1.length + b2.length));
        assertEquals(h, st.head());
        assertEquals(java.util.List.of(big, small), st.lines());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {3, 4}, st.keys());
        org.junit.jupiter.api.Assertions.assertArrayEquals(java.util.Arrays.copyOf(lines, b1.length + b2.length),
                st.encodedLines());
    }

    @Test
    void aSessionReachingTheSizeCapIsClosedAndScored() {
        driver.close();
        MaskingMiner miner = new MaskingMiner().known("open <*>", 1);
        detector = new KeyRuleDetector(Set.of(1));
        Properties p = new Properties();
        p.put("application.id", "t2");
        p.put("bootstrap.servers", "unused:9092");
        driver = new TopologyTestDriver(DetectorTopology.builder(miner, detector).maxSessionLines(3).build(), p);
        var in = driver.createInputTopic("logs.h9", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        for (int i = 0; i < 7; i++) {
            in.pipeInput(raw("open blk_5"));
        }
        assertEquals(2, detector.scored.get("blk_5").get(), "two full sessions of 3 lines; one line still open");
    }
}
