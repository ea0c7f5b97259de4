package io.anomalog.stream.topology;

import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.stream.testing.KeyRuleDetector;
import io.anomalog.stream.testing.TestPipelines;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowStageTest {

    /** "HH:MM:SS message" lines, timestamps in the year 2000. */
    private final IngestPipeline pipeline = TestPipelines.detecting(
            LogFormats.regex("(?<timestamp>\\d\\d:\\d\\d:\\d\\d) (?<content>.*)")
                    .withTimeReader(io.anomalog.core.log.TimeReader.pattern("HH:mm:ss")),
            "a <*>", "b <*>", "c <*>");

    private StageHarness harness(GroupingSpec spec) {
        DetectorTopology.Settings s = DetectorTopology.builder(pipeline, new KeyRuleDetector(Set.of(1, 2, 3)))
                .grouping(spec).idleGap(Duration.ofSeconds(5)).punctuateInterval(Duration.ofMillis(100))
                .quietHost(Duration.ofSeconds(1));
        return new StageHarness(text -> pipeline.line(text, StageHarness.IN, 0, -1), () -> new WindowStage(s, spec),
                true);
    }

    private static List<ClosedGroup> closed(StageHarness h) {
        List<ClosedGroup> out = new ArrayList<>();
        h.<List<ClosedGroup>>received(DetectorTopology.SCORE).forEach(out::addAll);
        return out;
    }

    /** What the batch grouper makes of the same lines. */
    private List<Sequence> batch(GroupingSpec spec, List<String> lines) {
        List<ParsedEvent> events = lines.stream().map(l -> pipeline.line(l, "f", 0, -1)).toList();
        return spec.grouper(id -> Label.UNKNOWN).group(events).sequences();
    }

    private static void assertSame(List<Sequence> batch, List<ClosedGroup> live) {
        assertEquals(batch.stream().map(Sequence::id).toList(), live.stream().map(ClosedGroup::id).toList());
        for (int i = 0; i < batch.size(); i++) {
            assertEquals(Arrays.toString(batch.get(i).keys()), Arrays.toString(live.get(i).keys()), batch.get(i).id());
        }
    }

    @Test
    void windowsOfEventsAreTheBatchWindowsAndAQuietHostGetsItsLastShorterWindow() {
        GroupingSpec.CountWindows spec = new GroupingSpec.CountWindows(3, 2);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lines.add("10:00:0" + i + " " + "abc".charAt(i % 3) + " x" + i);
        }
        try (StageHarness h = harness(spec)) {
            lines.forEach(h::send);
            assertEquals(3, closed(h).size(), "windows at 0, 2 and 4 are full");
            h.driver.advanceWallClockTime(Duration.ofSeconds(6));
            assertSame(batch(spec, lines), closed(h));
            assertEquals(List.of("full", "full", "full", "idle"), closed(h).stream().map(ClosedGroup::closeReason)
                    .toList());
            assertEquals(3, closed(h).get(1).lines().get().size());
        }
    }

    @Test
    void timeWindowsCloseByEventTimeAfterTheGraceAndMatchTheBatchWindows() {
        GroupingSpec.TimeWindows spec = new GroupingSpec.TimeWindows(Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(2));
        List<String> lines = List.of("10:00:01 a 1", "10:00:04 b 2", "10:00:03 c 3", "10:00:09 a 4",
                "10:00:14 b 5", "10:00:40 c 6", "10:00:41 a 7");
        try (StageHarness h = harness(spec)) {
            lines.forEach(h::send);
            // event time reached 10:00:41: every window ending by 10:00:39 is closed, the one holding 40 and 41 not
            List<ClosedGroup> byTime = closed(h);
            assertTrue(byTime.stream().allMatch(g -> g.closeReason().equals("time")));
            h.driver.advanceWallClockTime(Duration.ofSeconds(13));
            assertSame(batch(spec, lines), closed(h));
            assertTrue(closed(h).size() > byTime.size(), "the quiet host's last windows closed too");
        }
    }

    @Test
    void aLineOlderThanEveryOpenWindowIsLateAndALineWithoutTimeIsADeadLetter() {
        GroupingSpec.TimeWindows spec = new GroupingSpec.TimeWindows(Duration.ofSeconds(10), null,
                Duration.ofSeconds(1));
        try (StageHarness h = harness(spec)) {
            h.send("10:00:01 a 1");
            h.send("10:00:25 b 2");    // closes [10:00:00, 10:00:10)
            h.send("10:00:05 c 3");    // its window is closed
            h.send("no time here");
            List<String> reasons = h.read("anomalog.deadletter", DeadLetter.class).stream().map(DeadLetter::reason)
                    .toList();
            assertEquals(2, reasons.size(), reasons.toString());
            assertTrue(reasons.get(0).startsWith("later than its time window's grace"), reasons.get(0));
            assertTrue(reasons.get(1).startsWith("no readable timestamp"), reasons.get(1));
            assertEquals(1, closed(h).size());
        }
    }

    @Test
    void anEventsFieldsSurviveTheStoreWithTheirOperationAndOnesStoredWithoutItReadWithNone() throws Exception {
        WindowStage.Fields f = new WindowStage.Fields("gateway", null, 1, 200, 31.7, "user-1", "10.0.0.1",
                "GET /api/catalog");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        f.write(new java.io.DataOutputStream(bytes));
        assertEquals(f, WindowStage.Fields.read(new java.io.DataInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))));
        // the form stored before the operation existed: no flag 64, nothing after the address
        WindowStage.Fields before = new WindowStage.Fields("gateway", null, 1, 200, 31.7, "user-1", "10.0.0.1", null);
        bytes.reset();
        before.write(new java.io.DataOutputStream(bytes));
        byte[] stored = bytes.toByteArray();
        assertEquals(0, stored[0] & 64);
        assertEquals(before, WindowStage.Fields.read(new java.io.DataInputStream(
                new java.io.ByteArrayInputStream(stored))));
    }
}
