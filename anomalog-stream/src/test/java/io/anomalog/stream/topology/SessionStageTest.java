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

    /** Records sent without a timestamp: a host with no heartbeats, closed by the wall clock after a second. */
    private StageHarness harness(GroupingSpec.Sessions spec) {
        return harness(spec, Duration.ofSeconds(1));
    }

    /** {@code <heartbeat>} stands for a shipper's heartbeat record, {@code <stopped>} for its stop record. */
    private StageHarness harness(GroupingSpec.Sessions spec, Duration quietHost) {
        return harness(spec, quietHost, DetectorTopology.DEFAULT_MAX_OPEN_SESSIONS);
    }

    private StageHarness harness(GroupingSpec.Sessions spec, Duration quietHost, int maxOpen) {
        DetectorTopology.Settings s = DetectorTopology.builder(pipeline, new KeyRuleDetector(Set.of(1, 2, 3)))
                .grouping(spec).punctuateInterval(Duration.ofMillis(100)).quietHost(quietHost)
                .maxOpenSessions(maxOpen);
        return new StageHarness(text -> text.equals("<heartbeat>") ? Tick.HEARTBEAT
                : text.equals("<stopped>") ? Tick.STOPPED
                : pipeline.line(text, StageHarness.IN, 0, -1), () -> new SessionStage(s, spec), true);
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
            assertEquals(2, c.size(), "the quiet host's time moved on: its last session closed after the gap");
            assertEquals("gap", c.get(1).closeReason());
            assertArrayEquals(new int[]{1, 2}, c.get(1).keys());
            h.driver.advanceWallClockTime(Duration.ofSeconds(60));
            assertEquals(2, closed(h).size(), "a closed session is not closed again");
        }
    }

    @Test
    void sessionsCloseByTheirHostsTimeSoAnOutageLongerThanTheGapSplitsNothing() {
        GroupingSpec.Sessions spec = GroupingSpec.Sessions.byPattern("blk_-?\\d+").withGap(Duration.ofSeconds(30));
        try (StageHarness h = harness(spec, Duration.ofMinutes(5))) {
            long t = 1_700_000_000_000L;
            h.send("<heartbeat>", t);
            h.send("open blk_1", t + 1_000);
            h.send("write blk_1 size 1", t + 2_000);
            // the broker is away for ten minutes: nothing arrives, not even heartbeats
            h.driver.advanceWallClockTime(Duration.ofMinutes(10));
            assertTrue(closed(h).isEmpty(), "no line came, so no time passed for the host");
            // back: the lines written meanwhile arrive stamped with the time they were read, then heartbeats
            h.send("write blk_1 size 2", t + 600_000);
            h.send("close blk_1", t + 600_100);
            for (int s = 1; s <= 29; s++) {
                h.send("<heartbeat>", t + 600_100 + s * 1_000L);
            }
            h.driver.advanceWallClockTime(Duration.ofSeconds(1));
            assertTrue(closed(h).isEmpty(), "the gap has not passed in the host's time");
            h.send("<heartbeat>", t + 630_100);
            h.driver.advanceWallClockTime(Duration.ofSeconds(1));
            List<ClosedGroup> c = closed(h);
            assertEquals(1, c.size(), "one session, scored once");
            assertArrayEquals(new int[]{1, 2, 2, 3}, c.get(0).keys());
            assertEquals("gap", c.get(0).closeReason());
        }
    }

    @Test
    void aShipperThatCouldNotShipForLongerThanTheGapSplitsNoSessionWhateverLineComesFirstAfterIt() {
        GroupingSpec.Sessions spec = GroupingSpec.Sessions.byPattern("blk_-?\\d+").withGap(Duration.ofSeconds(2));
        try (StageHarness h = harness(spec, Duration.ofMinutes(5))) {
            long t = 1_700_000_000_000L;
            h.send("<heartbeat>", t);
            h.send("open blk_1", t + 500);
            h.send("open blk_2", t + 600);
            // a partition leader fails: the shipper waits 8 s, then reads what was written meanwhile, all of it
            // stamped with the time of that read; a check of the gap runs between two of those lines
            h.send("write blk_2 size 1", t + 8_600);
            h.driver.advanceWallClockTime(Duration.ofMillis(200));
            h.send("write blk_1 size 1", t + 8_601);
            h.send("close blk_1", t + 8_602);
            h.driver.advanceWallClockTime(Duration.ofMillis(200));
            assertTrue(closed(h).isEmpty(), "the wait is not time the sessions were quiet for");
            for (int s = 1; s <= 3; s++) {
                h.send("<heartbeat>", t + 8_602 + s * 1_000L);
            }
            h.driver.advanceWallClockTime(Duration.ofMillis(200));
            List<ClosedGroup> c = closed(h);
            assertEquals(2, c.size(), "both sessions closed once the host was quiet for the gap: " + c);
            for (ClosedGroup g : c) {
                assertEquals("gap", g.closeReason());
                assertArrayEquals(g.id().equals("blk_1") ? new int[]{1, 2, 3} : new int[]{1, 2}, g.keys(), g.id());
            }
        }
    }

    @Test
    void aHostWithoutHeartbeatsCountsItsQuietTimesInFull() {
        GroupingSpec.Sessions spec = GroupingSpec.Sessions.byPattern("blk_-?\\d+").withGap(Duration.ofSeconds(2));
        try (StageHarness h = harness(spec, Duration.ofMinutes(5))) {
            long t = 1_700_000_000_000L;
            h.send("open blk_1", t);
            h.send("open blk_2", t + 8_000);
            h.driver.advanceWallClockTime(Duration.ofMillis(200));
            List<ClosedGroup> c = closed(h);
            assertEquals(1, c.size(), "a collector without heartbeats is quiet when it sends nothing");
            assertEquals("blk_1", c.get(0).id());
        }
    }

    @Test
    void aHostWhoseShipperStoppedCleanlyClosesItsLastSessionsAfterTheQuietHostTimeAndOneThatCrashedWaits() {
        GroupingSpec.Sessions spec = GroupingSpec.Sessions.byPattern("blk_-?\\d+").withGap(Duration.ofSeconds(30));
        try (StageHarness h = harness(spec, Duration.ofMinutes(5))) {
            long t = System.currentTimeMillis();
            h.send("<heartbeat>", t);
            h.send("open blk_4", t + 100);
            // the shipper crashes: no stop record, and the session waits for it however long
            h.driver.advanceWallClockTime(Duration.ofMinutes(20));
            assertTrue(closed(h).isEmpty(), "a host with heartbeats is not closed by the wall clock");
            // it comes back, ships one more line and stops cleanly
            h.send("write blk_4 size 1", t + 200);
            h.send("<stopped>", t + 300);
            h.driver.advanceWallClockTime(Duration.ofMinutes(4));
            assertTrue(closed(h).isEmpty(), "not before the quiet-host time");
            h.driver.advanceWallClockTime(Duration.ofMinutes(2));
            List<ClosedGroup> c = closed(h);
            assertEquals(1, c.size());
            assertArrayEquals(new int[]{1, 2}, c.get(0).keys());
        }
    }

    @Test
    void aHostWithoutHeartbeatsClosesItsLastSessionsAfterTheQuietHostTime() {
        GroupingSpec.Sessions spec = GroupingSpec.Sessions.byPattern("blk_-?\\d+").withGap(Duration.ofSeconds(30));
        try (StageHarness h = harness(spec, Duration.ofMinutes(5))) {
            h.send("open blk_3", System.currentTimeMillis());
            h.driver.advanceWallClockTime(Duration.ofMinutes(4));
            assertTrue(closed(h).isEmpty());
            h.driver.advanceWallClockTime(Duration.ofMinutes(2));
            assertEquals(1, closed(h).size());
        }
    }

    @Test
    void aFloodOfDistinctIdsKeepsAtMostTheCapOpenClosingTheQuietestFirst() {
        try (StageHarness h = harness(GroupingSpec.Sessions.byPattern("blk_-?\\d+"), Duration.ofHours(1), 3)) {
            for (int i = 0; i < 10; i++) {
                h.send("open blk_" + i);
            }
            List<ClosedGroup> c = closed(h);
            assertEquals(7, c.size());
            assertEquals(List.of("blk_0", "blk_1", "blk_2", "blk_3", "blk_4", "blk_5", "blk_6"),
                    c.stream().map(ClosedGroup::id).toList());
            assertTrue(c.stream().allMatch(g -> g.closeReason().equals("evicted")));
            int heads = 0;
            try (var it = h.store().all()) {
                while (it.hasNext()) {
                    heads += SessionState.isChunkKey(it.next().key) ? 0 : 1;
                }
            }
            assertEquals(3, heads, "the store holds the open sessions only");
        }
    }

    @Test
    void aSessionOpenLongerThanTheAgeCapIsClosedAndCounted() {
        GroupingSpec.Sessions spec = GroupingSpec.Sessions.byPattern("blk_-?\\d+").withGap(Duration.ofSeconds(30))
                .withMaxAge(Duration.ofMinutes(1));
        try (StageHarness h = harness(spec, Duration.ofHours(1))) {
            long t = System.currentTimeMillis();
            for (int i = 0; i < 8; i++) {
                h.send("write blk_4 size " + i, t + i * 10_000L);
                h.driver.advanceWallClockTime(Duration.ofSeconds(10));
            }
            List<ClosedGroup> c = closed(h);
            assertEquals(1, c.size());
            assertEquals("age", c.get(0).closeReason());
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
            // an append rewrites one chunk, never the whole session: no stored value holds more than
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
