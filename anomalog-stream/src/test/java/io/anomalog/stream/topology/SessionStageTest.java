package io.anomalog.stream.topology;

import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.stream.testing.KeyRuleDetector;
import io.anomalog.stream.testing.TestPipelines;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionStageTest {

    private final IngestPipeline pipeline = TestPipelines.detecting("open <*>", "write <*> size <*>", "close <*>");

    private StageHarness harness(GroupingSpec.Sessions spec) {
        DetectorTopology.Settings s = DetectorTopology.builder(pipeline, new KeyRuleDetector(Set.of(1, 2, 3)))
                .grouping(spec).punctuateInterval(Duration.ofMillis(100));
        return new StageHarness(text -> pipeline.line(text, StageHarness.IN, 0, -1), () -> new SessionStage(s, spec),
                true);
    }

    private static List<ClosedGroup> closed(StageHarness h) {
        List<ClosedGroup> out = new ArrayList<>();
        h.<List<ClosedGroup>>received(DetectorTopology.SCORE).forEach(out::addAll);
        return out;
    }

    @Test
    void sessionsCloseOnTheirEndEventOrAfterTheGapWithTheirLinesInOrder() {
        GroupingSpec.Sessions spec = GroupingSpec.Sessions.byPattern("blk_-?\\d+").withGap(Duration.ofSeconds(5))
                .withEndEvent("^close ");
        try (StageHarness h = harness(spec)) {
            h.send("open blk_1");
            h.send("open blk_2");
            h.send("write blk_1 size 10");
            h.send("close blk_2");
            List<ClosedGroup> c = closed(h);
            assertEquals(1, c.size(), "the end event closed its session at once");
            assertEquals("blk_2", c.get(0).id());
            assertEquals("end", c.get(0).closeReason());
            assertArrayEquals(new int[]{1, 3}, c.get(0).keys());
            h.driver.advanceWallClockTime(Duration.ofSeconds(6));
            c = closed(h);
            assertEquals(2, c.size());
            assertEquals("gap", c.get(1).closeReason());
            assertArrayEquals(new int[]{1, 2}, c.get(1).keys());
            h.driver.advanceWallClockTime(Duration.ofSeconds(60));
            assertEquals(2, closed(h).size(), "a closed session is not closed again");
        }
    }

    @Test
    void aLineNamingTwoSessionsJoinsBothAndALineNamingNoneIsADeadLetter() {
        try (StageHarness h = harness(GroupingSpec.Sessions.byPattern("blk_-?\\d+").withGap(Duration.ofSeconds(1)))) {
            h.send("open blk_1");
            h.send("open blk_2");
            h.send("write blk_1 size blk_2");
            h.send("write nothing size 3");
            h.driver.advanceWallClockTime(Duration.ofSeconds(2));
            List<ClosedGroup> c = closed(h);
            assertEquals(2, c.size());
            assertEquals(2, c.get(0).keys().length);
            assertEquals(2, c.get(1).keys().length);
            List<DeadLetter> dl = h.read("anomalog.deadletter", DeadLetter.class);
            assertEquals(1, dl.size());
            assertTrue(dl.get(0).reason().startsWith("no session id (pattern blk_-?\\d+)"), dl.get(0).reason());
        }
    }

    @Test
    void aSessionReachingTheSizeCapIsClosedAndItsIdOpensANewOne() {
        try (StageHarness h = harness(GroupingSpec.Sessions.byPattern("blk_-?\\d+").withMaxEvents(3))) {
            for (int i = 0; i < 7; i++) {
                h.send("open blk_5");
            }
            List<ClosedGroup> c = closed(h);
            assertEquals(2, c.size(), "two full sessions of 3 lines; one line still open");
            assertEquals("size", c.get(0).closeReason());
        }
    }

    @Test
    void longSessionsKeepEveryLineAcrossChunks() {
        int n = SessionState.CHUNK_LINES * 3 + 5;
        try (StageHarness h = harness(GroupingSpec.Sessions.byPattern("blk_-?\\d+").withGap(Duration.ofSeconds(1)))) {
            for (int i = 0; i < n; i++) {
                h.send("write blk_9 size " + i);
            }
            // an append rewrites a head and one chunk, never the whole session: no stored value holds more than
            // a chunk's lines
            int largest = 0;
            int values = 0;
            try (var it = h.store().all()) {
                while (it.hasNext()) {
                    largest = Math.max(largest, it.next().value.length);
                    values++;
                }
            }
            int oneLine = new SessionState.Line(1, "write blk_9 size 100", null, "logs.h1", 0, 0, -1).toBytes().length;
            assertTrue(largest <= SessionState.CHUNK_LINES * (oneLine + 8), largest + " bytes in one value");
            assertEquals(1 + 4, values, "a head and four chunks");
            h.driver.advanceWallClockTime(Duration.ofSeconds(2));
            ClosedGroup c = closed(h).get(0);
            assertEquals(n, c.keys().length);
            List<SessionState.Line> lines = c.lines().get();
            assertEquals(n, lines.size());
            for (int i = 0; i < n; i++) {
                assertEquals("write blk_9 size " + i, lines.get(i).text());
            }
            try (var it = h.store().all()) {
                assertTrue(!it.hasNext(), "a closed session leaves nothing in the store");
            }
        }
    }
}
