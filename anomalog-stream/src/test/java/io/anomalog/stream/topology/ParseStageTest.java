package io.anomalog.stream.topology;

import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.ingest.LiveTemplateKeys;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.stream.testing.KeyRuleDetector;
import io.anomalog.stream.testing.TestPipelines;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParseStageTest {

    private static StageHarness harness(IngestPipeline p, boolean publishParsed) {
        DetectorTopology.Settings s = DetectorTopology.builder(p, new KeyRuleDetector(Set.of(1, 2)))
                .publishParsed(publishParsed);
        return new StageHarness(text -> p.format().parse(text, StageHarness.IN, 0, -1), () -> new ParseStage(s), false);
    }

    @Test
    void knownLinesGetTheirStoreKeysAndANewTemplateIsPublishedOnceUnderAKeyFromItsText() {
        IngestPipeline p = TestPipelines.detecting("open <*>", "write <*> size <*>");
        try (StageHarness h = harness(p, true)) {
            h.send("open blk_1");
            h.send("write blk_1 size 10");
            h.send("disk blk_1 failing");
            h.send("disk blk_2 failing");
            List<ParsedEvent> events = h.received(DetectorTopology.GROUP);
            assertEquals(List.of(1, 2), events.subList(0, 2).stream().map(ParsedEvent::templateId).toList());
            int live = events.get(2).templateId();
            assertTrue(LiveTemplateKeys.isLive(live));
            assertEquals(live, events.get(3).templateId(), "the same new template keeps its key");
            assertEquals(List.of(events.get(2).template()), h.readText("anomalog.templates"), "published once");
            assertTrue(events.get(2).template().startsWith("disk ") && events.get(2).template().endsWith(" failing"));
            List<ParsedEventRecord> parsed = h.read("logs.parsed", ParsedEventRecord.class);
            assertEquals(4, parsed.size());
            assertEquals("write <*> size <*>", parsed.get(1).template());
            assertEquals(2, parsed.get(1).templateId());
            assertEquals("h1", parsed.get(1).host());
            assertEquals("write blk_1 size 10", parsed.get(1).message());
        }
    }

    @Test
    void parsedEventsAreNotPublishedWhenThatIsOff() {
        try (StageHarness h = harness(TestPipelines.detecting("open <*>"), false)) {
            h.send("open blk_1");
            assertEquals(1, h.<LogRecord>received(DetectorTopology.GROUP).size());
            assertTrue(h.read("logs.parsed", ParsedEventRecord.class).isEmpty());
        }
    }
}
