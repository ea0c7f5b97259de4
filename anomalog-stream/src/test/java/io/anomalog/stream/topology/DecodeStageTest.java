package io.anomalog.stream.topology;

import io.anomalog.core.ingest.BadLinePolicy;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.log.LogRecord;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.ship.FilebeatEvent;
import io.anomalog.stream.testing.TestPipelines;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecodeStageTest {

    private static final String REGEX = "(?<timestamp>\\d\\d:\\d\\d:\\d\\d) (?<level>\\w+) (?<content>.*)";

    private static StageHarness harness(IngestPipeline p) {
        return new StageHarness(Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                () -> new DecodeStage(p, new StreamMetrics()), false);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRawLineAndAShippersEnvelopeBecomeRecordsOfTheirHost() {
        try (StageHarness h = harness(TestPipelines.detecting(LogFormats.regex(REGEX)))) {
            h.sendBytes(bytes("10:00:00 INFO open blk_1"));
            h.sendBytes(FilebeatEvent.of("10:00:01 WARN write blk_1", "h1", "/var/log/a.log", 42).toJson());
            List<LogRecord> out = h.received(DetectorTopology.PARSE);
            assertEquals(2, out.size());
            assertEquals("open blk_1", out.get(0).content());
            assertEquals("h1", out.get(0).host(), "the host of a raw line is its topic's");
            assertEquals("INFO", out.get(0).level());
            assertEquals("10:00:00 INFO open blk_1", out.get(0).line());
            assertEquals("/var/log/a.log", out.get(1).source());
            assertEquals(42, out.get(1).offset());
            assertEquals("WARN", out.get(1).level());
            assertTrue(h.read("anomalog.deadletter", DeadLetter.class).isEmpty());
        }
    }

    @Test
    void aShippersFirstLineTellsTheGroupingStageOnceThatItsHostSendsHeartbeatsAndFilebeatsLinesDoNot() {
        try (StageHarness h = harness(TestPipelines.detecting(LogFormats.regex(REGEX)))) {
            // Filebeat's envelope: no anomalog agent, so the host's quiet times count in full
            h.sendBytes(bytes("{\"@timestamp\":\"2024-03-07T10:00:00.000Z\",\"message\":\"10:00:00 INFO open blk_1\","
                    + "\"log\":{\"file\":{\"path\":\"/var/log/a.log\"},\"offset\":0},\"agent\":{\"type\":\"filebeat\"}}"));
            assertTrue(h.received(DetectorTopology.GROUP).isEmpty());
            // anomalog ship's lines: the first one after a start tells it, before the line itself goes on
            h.sendBytes(FilebeatEvent.of("10:00:01 WARN write blk_1", "h1", "/var/log/a.log", 42).toJson());
            h.sendBytes(FilebeatEvent.of("10:00:02 INFO close blk_1", "h1", "/var/log/a.log", 70).toJson());
            assertEquals(List.of(Tick.HEARTBEAT), h.received(DetectorTopology.GROUP));
            assertEquals(3, h.<LogRecord>received(DetectorTopology.PARSE).size(), "every line goes on to parsing");
        }
    }

    @Test
    void aShippersStopRecordReachesTheGroupingStageAsNoLineAndItsNextLineMarksTheHostAgain() {
        try (StageHarness h = harness(TestPipelines.detecting(LogFormats.regex(REGEX)))) {
            h.sendBytes(FilebeatEvent.of("10:00:01 WARN write blk_1", "h1", "/var/log/a.log", 42).toJson());
            h.sendBytes(FilebeatEvent.stopped("h1", "2024-03-07T10:00:02.000Z"));
            h.sendBytes(FilebeatEvent.of("10:00:03 INFO close blk_1", "h1", "/var/log/a.log", 70).toJson());
            assertEquals(List.of(Tick.HEARTBEAT, Tick.STOPPED, Tick.HEARTBEAT), h.received(DetectorTopology.GROUP));
            assertEquals(2, h.<LogRecord>received(DetectorTopology.PARSE).size());
            assertTrue(h.read("anomalog.deadletter", DeadLetter.class).isEmpty(), "a stop record is no bad line");
        }
    }

    @Test
    void everyUnusableRecordIsADeadLetterWithItsReasonAndTheRestGoesOn() {
        IngestPipeline p = IngestPipeline.builder(LogFormats.regex(REGEX)).policy(new BadLinePolicy(true))
                .store(TestPipelines.store()).build();
        try (StageHarness h = harness(p)) {
            h.sendBytes(bytes("{not json"));
            h.sendBytes(bytes("{\"msg\":\"no message field\"}"));
            h.sendBytes(bytes("garbage without a header"));
            h.sendBytes(null);
            h.sendBytes(bytes("10:00:00 INFO \u0001\u0002\u0003\u0004\u0005"));
            h.sendBytes(bytes("10:00:01 INFO close blk_7"));
            List<String> reasons = h.read("anomalog.deadletter", DeadLetter.class).stream().map(DeadLetter::reason)
                    .toList();
            assertEquals(5, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).startsWith("not a usable JSON log event"), reasons.get(0));
            assertTrue(reasons.get(1).contains("no text field 'message'"), reasons.get(1));
            assertEquals("line does not match log format regex", reasons.get(2));
            assertEquals("empty record", reasons.get(3));
            assertEquals("mostly binary or undecodable bytes", reasons.get(4));
            assertEquals(1, h.<LogRecord>received(DetectorTopology.PARSE).size(), "the good line went on");
            assertEquals(5, p.stats().deadLettered());
        }
    }

    @Test
    void aJsonFormatReadsAnApplicationsOwnEventWithItsTypedFields() {
        try (StageHarness h = harness(TestPipelines.detecting(LogFormats.json("message")))) {
            h.sendBytes(bytes("{\"ts\":\"2024-05-01T10:00:00Z\",\"level\":\"ERROR\",\"service\":\"orders\","
                    + "\"message\":\"payment failed\",\"http\":{\"status\":503,\"latency_ms\":812.5}}"));
            // the same event shipped from a file arrives inside an envelope: the envelope is unwrapped first
            h.sendBytes(FilebeatEvent.of("{\"level\":\"INFO\",\"message\":\"ok\",\"http\":{\"status\":200}}", "h1",
                    "/var/log/app.json", 7).toJson());
            List<LogRecord> out = h.received(DetectorTopology.PARSE);
            assertEquals(2, out.size());
            LogRecord r = out.get(0);
            assertEquals("payment failed", r.content());
            assertEquals("ERROR", r.level());
            assertEquals("orders", r.component());
            assertEquals(503L, r.fields().get("http.status"));
            assertEquals(812.5, r.fields().get("http.latency_ms"));
            assertEquals("2024-05-01T10:00:00Z", r.time().toString());
            assertEquals(200L, out.get(1).fields().get("http.status"));
            assertEquals(7, out.get(1).offset());
            assertNull(out.get(1).fields().get("log.offset"), "envelope fields are not the event's");
        }
    }
}
