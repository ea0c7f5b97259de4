package io.anomalog.ml.deeplog;

import ai.djl.ndarray.types.Shape;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelRegistry;
import io.anomalog.core.detect.ModelUpdate;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Updatable;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Online update of the key model: a tiny model trained on a cycle of keys learns from a few marked sessions that
 * an upgraded workflow (one new key in the cycle) is normal, and keeps judging the old cycle and its breaks.
 */
class DeepLogUpdateTest {

    private static final int[] CYCLE = {10, 20, 30, 40, 50, 60};
    /** The cycle after an upgrade: a new template 70 between 30 and 40. */
    private static final int[] UPGRADED = {10, 20, 30, 70, 40, 50, 60};
    private static DeepLogDetector model;

    static Sequence of(int[] cycle, String id, int start, int length) {
        int[] keys = new int[length];
        for (int i = 0; i < length; i++) {
            keys[i] = cycle[(start + i) % cycle.length];
        }
        return new Sequence(id, keys, Label.NORMAL);
    }

    @BeforeAll
    static void train() {
        List<Sequence> training = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            training.add(of(CYCLE, "s" + i, i % CYCLE.length, 12 + i % 7));
        }
        // g = 2: after 10 20 30 both the old next key (40) and the upgrade's (70) must be among the predictions
        model = (DeepLogDetector) new DeepLogProvider().trainer(Params.of("history", "3", "topG", "2", "hidden",
                        "16", "epochs", "40", "batch", "32", "lr", "0.03", "patience", "5", "seed", "7"))
                .fit(training, KeyVocabulary.of(training), Progress.NONE);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static Sequence broken() {
        Sequence s = of(CYCLE, "confirmed", 0, 14);
        s.keys()[8] = 10; // the cycle expects 30 here
        return s;
    }

    private static List<Sequence> marked() {
        return List.of(of(UPGRADED, "fp1", 0, 14), of(UPGRADED, "fp2", 3, 15), of(UPGRADED, "fp3", 5, 16));
    }

    @Test
    void anUpdateMakesAMarkedPatternNormalAddsItsNewKeyAndKeepsWhatTheModelKnew() {
        Sequence unmarked = of(UPGRADED, "same pattern, not marked", 1, 18);
        assertTrue(model.score(unmarked).anomalous(), "the upgraded workflow is new to the model");
        assertTrue(model.replay() != null && model.replay().size() > 0, "training keeps a replay sample");

        Updatable.Updated up = model.learnNormal(marked(), null, Updatable.Settings.defaults(), Progress.NONE);
        try (Detector next = up.detector()) {
            for (Sequence s : marked()) {
                assertFalse(next.score(s).anomalous(), () -> "still flagged: " + s.id() + " " + up.report());
            }
            assertFalse(next.score(unmarked).anomalous(), "sessions like the marked ones are normal too");
            assertFalse(next.score(of(CYCLE, "old cycle", 2, 20)).anomalous(), "the old workflow stays normal");
            assertTrue(next.score(broken()).anomalous(), "a break of the cycle is still an anomaly");
            assertTrue(next.manifest().keyVocabulary().contains(70), "the new key joined the vocabulary");
            assertEquals(List.of(70), up.report().get("keysAdded"));
            assertEquals(true, up.report().get("learnedAll"));
            assertTrue(((Number) up.report().get("forgetting")).doubleValue() <= 0.01,
                    () -> "forgetting on the replay sample: " + up.report());
        }
        assertTrue(model.score(unmarked).anomalous(), "the parent model is unchanged");
    }

    @Test
    void anUpdatedModelSavesAndLoadsWithItsGrownVocabularyAndGivesTheSameVerdicts(@TempDir Path dir) throws Exception {
        Updatable.Updated up = model.learnNormal(marked(), null, Updatable.Settings.defaults(), Progress.NONE);
        List<Sequence> probe = List.of(of(UPGRADED, "a", 2, 17), of(CYCLE, "b", 0, 13), broken());
        try (Detector next = up.detector()) {
            next.save(dir);
            try (Detector loaded = Detectors.load(dir)) {
                List<Verdict> a = next.scoreAll(probe);
                List<Verdict> b = loaded.scoreAll(probe);
                for (int i = 0; i < probe.size(); i++) {
                    assertEquals(a.get(i).anomalous(), b.get(i).anomalous());
                    assertEquals(a.get(i).score(), b.get(i).score(), 1e-9);
                }
                DeepLogDetector d = (DeepLogDetector) loaded;
                // windows the training sample already held are kept once, so the sample grows by at most
                // what was learned, and by something: the upgraded workflow has keys training never saw
                int learned = ((Number) up.report().get("distinctWindows")).intValue();
                assertTrue(d.replay().size() > model.replay().size()
                                && d.replay().size() <= model.replay().size() + learned,
                        "the next update replays the windows this one learned: " + d.replay().size());
            }
        }
    }

    @Test
    void aClassWeightMovesToWhereItsKeyNowSitsAndANewClassKeepsItsInitialisation() {
        // 2 rows x 3 classes (unknown, key, pad) -> 2 rows x 4 classes (unknown, key, new key, pad)
        float[] src = {1, 2, 3, 4, 5, 6};
        float[] dst = {-1, -1, -1, -1, -1, -1, -1, -1};
        float[] out = DeepLogUpdate.remap(src, new Shape(2, 3), dst, new Shape(2, 4), 3, 4, new int[]{0, 1, 3});
        assertArrayEquals(new float[]{1, 2, -1, 3, 4, 5, -1, 6}, out);
        float[] rows = DeepLogUpdate.remap(src, new Shape(3, 2), new float[]{9, 9, 9, 9, 9, 9, 9, 9},
                new Shape(4, 2), 3, 4, new int[]{0, 1, 3});
        assertArrayEquals(new float[]{1, 2, 3, 4, 9, 9, 5, 6}, rows);
    }

    @Test
    void aRegistryUpdateWritesVersionTwoAndHoldsBackOneThatWouldTurnAConfirmedAnomalyNormal(@TempDir Path dir)
            throws Exception {
        model.save(dir);
        ModelRegistry registry = ModelRegistry.of(dir);
        List<ModelUpdate.Case> confirmed = List.of(new ModelUpdate.Case("a-confirmed", broken()));
        ModelUpdate.Outcome ok = ModelUpdate.apply(registry, List.of(new ModelUpdate.Case("a-fp1", marked().get(0)),
                        new ModelUpdate.Case("a-fp2", marked().get(1))), confirmed, false, "test",
                Updatable.Settings.defaults(), Progress.NONE);
        assertNotNull(ok.version());
        assertEquals("v2", ok.version().name());
        assertEquals("v1", ok.version().parent());
        assertEquals(List.of("a-fp1", "a-fp2"), ok.version().feedback());
        assertTrue(ok.activated(), ok.summary());

        // marking the confirmed anomaly itself as normal would break the regression case: held back
        Sequence same = broken();
        ModelUpdate.Outcome held = ModelUpdate.apply(registry, List.of(new ModelUpdate.Case("a-wrong",
                        new Sequence("wrong", same.keys(), Label.NORMAL))), confirmed, false, "test",
                Updatable.Settings.defaults(), Progress.NONE);
        assertEquals("v3", held.version().name());
        assertFalse(held.activated(), held.summary());
        assertEquals(List.of("a-confirmed"), held.regressed());

        ModelRegistry reopened = ModelRegistry.of(dir);
        assertEquals("v2", reopened.active(), "versions survive a restart");
        assertEquals(3, reopened.versions().size());
        try (Detector active = Detectors.load(dir)) {
            assertFalse(active.score(marked().get(2)).anomalous(), "the active version learned the pattern");
            assertTrue(active.score(broken()).anomalous());
        }
        reopened.rollback("test");
        assertEquals("v1", ModelRegistry.of(dir).active(), "a rollback survives a restart");
        try (Detector active = Detectors.load(dir)) {
            assertTrue(active.score(marked().get(2)).anomalous(), "v1 again");
        }
    }
}
