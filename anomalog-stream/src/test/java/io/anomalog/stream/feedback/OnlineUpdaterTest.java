package io.anomalog.stream.feedback;

import io.anomalog.core.detect.ModelRegistry;
import io.anomalog.core.detect.Updatable;
import io.anomalog.stream.broker.EmbeddedKafka;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.testing.KeyRuleDetector;
import io.anomalog.stream.testing.TestPipelines;
import io.anomalog.stream.topology.LineEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Feedback on the topic becomes a model version, once, whoever reads it and however often. */
class OnlineUpdaterTest {

    private static FeedbackRecord verdict(String id, FeedbackVerdict v, int... keys) {
        return new FeedbackRecord(FeedbackRecord.FORMAT_VERSION, id, "h1", "blk_" + id, v, null, "test",
                "2026-01-01T00:00:00Z", "v1", "keyrule", keys, List.of(), null);
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void falsePositivesOnTheTopicBecomeOneVersionEvenWithTwoInstancesAndAreNotLearnedAgainAfterARestart(
            @TempDir Path dir) throws Exception {
        new KeyRuleDetector(Set.of(1, 2)).save(dir);
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            KafkaConnection conn = KafkaConnection.of(kafka.bootstrapServers());
            List<String> said = new CopyOnWriteArrayList<>();
            StreamMetrics m1 = new StreamMetrics();
            StreamMetrics m2 = new StreamMetrics();
            LineEvents events = new LineEvents(TestPipelines.detecting("a <*>"));
            try (FeedbackWriter w = new FeedbackWriter(conn, 1)) {
                w.write(verdict("c1", FeedbackVerdict.CONFIRMED, 1, 9));
                try (OnlineUpdater a = new OnlineUpdater(conn, dir, events, Updatable.Settings.defaults(),
                        Duration.ofMillis(200), m1, said::add).start();
                     OnlineUpdater b = new OnlineUpdater(conn, dir, events, Updatable.Settings.defaults(),
                             Duration.ofMillis(200), m2, said::add).start()) {
                    w.write(verdict("f1", FeedbackVerdict.FALSE_POSITIVE, 1, 3));
                    w.write(verdict("f2", FeedbackVerdict.FALSE_POSITIVE, 2, 4));
                    await(() -> ModelRegistry.of(dir).versions().size() == 2, "v2 written: " + said);
                    Thread.sleep(1000); // the other instance has read the same feedback by now
                }
            }
            ModelRegistry r = ModelRegistry.of(dir);
            assertEquals(2, r.versions().size(), "one version for two instances: " + said);
            assertEquals("v2", r.active());
            assertEquals(List.of("f1", "f2"), r.version("v2").feedback());
            assertEquals(1, m1.modelUpdates.sum() + m2.modelUpdates.sum());

            // a restart reads the topic from its beginning: nothing new, no version
            StreamMetrics m3 = new StreamMetrics();
            try (OnlineUpdater c = new OnlineUpdater(conn, dir, events, Updatable.Settings.defaults(),
                    Duration.ofMillis(200), m3, said::add).start()) {
                Thread.sleep(3000);
            }
            assertEquals(2, ModelRegistry.of(dir).versions().size(), said.toString());

            // a false positive that would make the confirmed anomaly (keys 1, 9) normal is held back
            try (FeedbackWriter w = new FeedbackWriter(conn, 1);
                 OnlineUpdater d = new OnlineUpdater(conn, dir, events, Updatable.Settings.defaults(),
                         Duration.ofMillis(200), m3, said::add).start()) {
                w.write(verdict("f3", FeedbackVerdict.FALSE_POSITIVE, 9));
                await(() -> ModelRegistry.of(dir).versions().size() == 3, "v3 written: " + said);
            }
            assertEquals("v2", ModelRegistry.of(dir).active(), "v3 is held back: " + said);
            assertEquals(1, m3.modelUpdatesHeld.sum());
            assertTrue(said.stream().anyMatch(s -> s.contains("held back")), said.toString());
        }
    }
}
