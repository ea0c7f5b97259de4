package io.anomalog.stream.topology;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.ModelRegistry;
import io.anomalog.core.detect.ModelUpdate;
import io.anomalog.core.detect.Updatable;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;
import io.anomalog.stream.testing.KeyRuleDetector;
import io.anomalog.stream.testing.TestPipelines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveModelTest {

    private static List<ClosedGroup> session(String id, int... keys) {
        List<SessionState.Line> lines = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            lines.add(new SessionState.Line(keys[i], "line " + keys[i], "10:00:00", "logs.h1", 0, id.hashCode() + i, -1));
        }
        return List.of(new ClosedGroup("h1", id, keys, "gap", 0, 1000, () -> lines));
    }

    private static void awaitVersion(LiveModel live, String version) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!version.equals(live.current().version()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(version, live.current().version());
    }

    @Test
    void aNewActiveVersionReachesARunningTopologyWithoutARestartAndARollbackTakesItBack(@TempDir Path dir)
            throws Exception {
        new KeyRuleDetector(Set.of(1, 2)).save(dir);
        try (Detector first = Detectors.load(dir);
             LiveModel live = LiveModel.watching(dir, first, Duration.ofMillis(50), m -> { })) {
            DetectorTopology.Settings s = DetectorTopology.builder(TestPipelines.detecting("a <*>"), live);
            String[] next = {"blk_1"};
            try (StageHarness h = new StageHarness(text -> session(next[0], 1, 3, 2), () -> new ScoreStage(s), false)) {
                h.send("go");
                List<AnomalyRecord> before = h.read("anomalies", AnomalyRecord.class);
                assertEquals(1, before.size(), "key 3 is new to v1");
                assertEquals("v1", before.get(0).modelVersion());

                // the operator marks it a false positive: the update writes v2 and makes it active
                ModelUpdate.Outcome o = ModelUpdate.apply(ModelRegistry.of(dir), List.of(new ModelUpdate.Case(
                                before.get(0).id(), new Sequence("blk_1", before.get(0).keys(), Label.NORMAL))),
                        List.of(), false, "test", Updatable.Settings.defaults(), Progress.NONE);
                assertTrue(o.activated(), o.summary());
                awaitVersion(live, "v2");

                next[0] = "blk_2";
                h.send("go");
                assertEquals(List.of(), h.read("anomalies", AnomalyRecord.class),
                        "the same topology, not restarted, judges with v2");

                ModelRegistry.of(dir).rollback("test");
                awaitVersion(live, "v1");
                next[0] = "blk_3";
                h.send("go");
                List<AnomalyRecord> after = h.read("anomalies", AnomalyRecord.class);
                assertEquals(1, after.size());
                assertEquals("v1", after.get(0).modelVersion());
            }
        }
    }
}
