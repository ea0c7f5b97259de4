package io.anomalog.stream.topology;

import io.anomalog.core.ingest.LiveTemplateKeys;
import io.anomalog.stream.testing.KeyRuleDetector;
import io.anomalog.stream.testing.TestPipelines;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreStageTest {

    /** "id:k,k,k;id:k,k" -> closed sessions of host h1, each line's text "line <key>". */
    private static List<ClosedGroup> groups(String text) {
        List<ClosedGroup> out = new ArrayList<>();
        for (String g : text.split(";")) {
            String[] idKeys = g.split(":");
            int[] keys = Arrays.stream(idKeys[1].split(",")).mapToInt(Integer::parseInt).toArray();
            List<SessionState.Line> lines = Arrays.stream(keys).mapToObj(k -> new SessionState.Line(k, "line " + k,
                    "10:00:00", "logs.h1", 0, k, -1)).toList();
            out.add(new ClosedGroup("h1", idKeys[0], keys, "gap", 0, 1000, () -> lines));
        }
        return out;
    }

    @Test
    void aDetectorThatReadsEventsGetsEachLineParsedAgainWithItsTimeParametersAndKey() {
        java.util.List<io.anomalog.core.session.Sequence> seen = new java.util.ArrayList<>();
        KeyRuleDetector detector = new KeyRuleDetector(Set.of(1)) {
            @Override
            public boolean needsEvents() {
                return true;
            }

            @Override
            public io.anomalog.core.detect.Verdict score(io.anomalog.core.session.Sequence s) {
                seen.add(s);
                return super.score(s);
            }
        };
        var pipeline = TestPipelines.detecting(io.anomalog.core.log.LogFormats.regex(
                "(?<timestamp>\\S+) (?<content>.*)"), "write <*> size <*>");
        DetectorTopology.Settings s = DetectorTopology.builder(pipeline, detector);
        List<SessionState.Line> lines = List.of(
                new SessionState.Line(1, "2024-01-01T10:00:00Z write blk_1 size 17", null, "logs.h1", 0, 5, -1),
                new SessionState.Line(1, "2024-01-01T10:00:03Z write blk_1 size 40", null, "logs.h1", 0, 6, -1));
        try (StageHarness h = new StageHarness(text -> List.of(new ClosedGroup("h1", "blk_1", new int[]{1, 1}, "gap",
                0, 1000, () -> lines)), () -> new ScoreStage(s), false)) {
            h.send("go");
        }
        assertEquals(1, seen.size());
        var events = seen.get(0).events();
        assertEquals(2, events.size());
        assertEquals("2024-01-01T10:00:03Z", events.get(1).record().time().toString());
        assertEquals(List.of("blk_1", "40"), events.get(1).parameters());
        assertEquals(1, events.get(0).templateId());
    }

    @Test
    void sessionsClosedTogetherAreScoredInOneCallAndOnlyAnomaliesArePublishedWithTheirLines() {
        KeyRuleDetector detector = new KeyRuleDetector(Set.of(1, 2));
        int live = LiveTemplateKeys.FIRST_KEY + 5;
        DetectorTopology.Settings s = DetectorTopology.builder(TestPipelines.detecting("a <*>"), detector);
        s.unknownTemplates.put(live, "disk <*> failing");
        try (StageHarness h = new StageHarness(ScoreStageTest::groups, () -> new ScoreStage(s), false)) {
            h.send("blk_1:1,2,2;blk_2:1," + live + ",2;blk_3:2");
            List<AnomalyRecord> out = h.read("anomalies", AnomalyRecord.class);
            assertEquals(1, out.size());
            AnomalyRecord a = out.get(0);
            assertEquals("blk_2", a.sessionId());
            assertEquals(3, a.lines().size());
            assertEquals("line 1", a.lines().get(0).text());
            assertEquals("disk <*> failing", a.unknownTemplates().get(live));
            assertEquals("keyrule@2024-01-01T00:00:00Z", a.modelVersion());
            assertTrue(a.summary().startsWith("unknown keys"));
            assertEquals(3, s.metrics.sessionsClosed.sum());
            assertEquals(1, s.metrics.anomalies.sum());
            assertEquals(1, detector.scored.get("blk_2").get(), "each session scored once");
        }
    }

    @Test
    void anAnomalyJudgedAgainGetsTheSameIdAndASessionIdThatComesBackLaterGetsAnother() {
        KeyRuleDetector detector = new KeyRuleDetector(Set.of(1));
        DetectorTopology.Settings s = DetectorTopology.builder(TestPipelines.detecting("a <*>"), detector);
        java.util.function.Function<Long, List<ClosedGroup>> session = offset -> {
            List<SessionState.Line> lines = List.of(new SessionState.Line(9, "line 9", "10:00:00", "logs.h1", 2,
                    offset, -1));
            return List.of(new ClosedGroup("h1", "blk_7", new int[]{9}, "gap", 0, 1000, () -> lines));
        };
        List<String> ids = new ArrayList<>();
        for (long offset : new long[]{40, 40, 41}) {
            try (StageHarness h = new StageHarness(text -> session.apply(offset), () -> new ScoreStage(s), false)) {
                h.send("go");
                ids.add(h.read("anomalies", AnomalyRecord.class).get(0).id());
            }
        }
        assertEquals(ids.get(0), ids.get(1), "the same session judged twice (a restart) keeps its id");
        assertTrue(!ids.get(0).equals(ids.get(2)), "a later session of the same block is another anomaly");
        assertTrue(ids.get(0).matches("a[0-9a-f]{16}"), ids.get(0));
    }
}
