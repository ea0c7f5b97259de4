package io.anomalog.ml.deeplog;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.io.Json;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trains one tiny model on sessions that follow a fixed cycle of keys and checks what it flags. */
class DeepLogDetectorTest {

    private static final int[] CYCLE = {10, 20, 30, 40, 50, 60};
    private static Detector model;

    static Sequence cycle(String id, int start, int length) {
        int[] keys = new int[length];
        for (int i = 0; i < length; i++) {
            keys[i] = CYCLE[(start + i) % CYCLE.length];
        }
        return new Sequence(id, keys, Label.NORMAL);
    }

    static Params tinyParams() {
        return Params.of("history", "3", "topG", "1", "hidden", "16", "epochs", "40", "batch", "32",
                "lr", "0.03", "patience", "5", "seed", "7");
    }

    @BeforeAll
    static void train() {
        List<Sequence> training = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            training.add(cycle("s" + i, i % CYCLE.length, 12 + i % 7));
        }
        model = new DeepLogProvider().trainer(tinyParams())
                .withTemplateTexts(Map.of(10, "open <*>", 20, "read <*>", 30, "write <*>"))
                .fit(training, KeyVocabulary.of(training), Progress.NONE);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void passesASessionThatFollowsTheCycle() {
        Verdict v = model.score(cycle("ok", 2, 20));
        assertFalse(v.anomalous(), () -> "flagged: " + v);
        assertNull(v.explanation());
    }

    @Test
    void flagsASessionThatBreaksTheCycleAndExplainsWhere() {
        Sequence broken = cycle("broken", 0, 14);
        broken.keys()[8] = 10; // the cycle expects 30 at position 9
        Verdict v = model.score(broken);
        assertTrue(v.anomalous());
        DeepLogExplanation e = assertInstanceOf(DeepLogExplanation.class, v.explanation());
        DeepLogExplanation.UnexpectedEvent first = e.events().get(0);
        assertEquals(9, first.position());
        assertEquals(10, first.observedKey());
        assertEquals("open <*>", first.observedTemplate());
        assertEquals(List.of(60, 10, 20), first.history());
        assertEquals(30, first.expected().get(0).key());
        assertEquals("write <*>", first.expected().get(0).template());
        assertTrue(first.observedRank() > 1);
        assertTrue(v.score() > model.score(cycle("ok", 0, 14)).score());
        assertTrue(e.summary().contains("event 9"), e.summary());
    }

    @Test
    void aKeyNeverSeenInTrainingIsAnomalous() {
        Sequence s = cycle("unknown", 0, 12);
        s.keys()[6] = 999;
        Verdict v = model.score(s);
        assertTrue(v.anomalous());
        DeepLogExplanation e = (DeepLogExplanation) v.explanation();
        assertEquals(999, e.events().get(0).observedKey());
        assertEquals(DeepLogExplanation.UNKNOWN_KEY, e.events().get(0).observedTemplate());
        assertEquals(0.0, e.events().get(0).observedProbability());
        assertEquals(1.0, v.score());
    }

    @Test
    void anUnknownKeyAmongTheFirstHistoryKeysIsAnomalousToo() {
        Verdict v = model.score(new Sequence("early", new int[]{10, 999, 30, 40, 50, 60, 10, 20}, Label.UNKNOWN));
        assertTrue(v.anomalous());
        DeepLogExplanation.UnexpectedEvent e = ((DeepLogExplanation) v.explanation()).events().get(0);
        assertEquals(2, e.position());
        assertEquals(999, e.observedKey());
        assertEquals(List.of(10), e.history());
    }

    @Test
    void anEmptySessionHasNothingToJudge() {
        Verdict v = model.score(new Sequence("empty", new int[0], Label.UNKNOWN));
        assertFalse(v.anomalous());
        assertEquals(0.0, v.score());
    }

    @Test
    void aShortSessionIsJudgedByWhetherItMayEndThere() {
        // training sessions are at least 12 keys long, so ending after 2 keys was never seen
        Verdict v = model.score(cycle("short", 0, 2));
        assertTrue(v.anomalous());
        DeepLogExplanation.UnexpectedEvent e = ((DeepLogExplanation) v.explanation()).events().get(0);
        assertNull(e.observedKey());
        assertEquals(DeepLogExplanation.END_OF_SESSION, e.observedTemplate());
        assertEquals(3, e.position());
    }

    @Test
    void scoringManyAtOnceAgreesWithOneByOne() {
        List<Sequence> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Sequence s = cycle("b" + i, i, 8 + i % 9);
            if (i % 4 == 0) {
                s.keys()[5] = CYCLE[(i + 1) % CYCLE.length];
            }
            batch.add(s);
        }
        List<Verdict> all = model.scoreAll(batch);
        for (int i = 0; i < batch.size(); i++) {
            Verdict one = model.score(batch.get(i));
            assertEquals(one.anomalous(), all.get(i).anomalous());
            assertEquals(one.score(), all.get(i).score(), 1e-9);
        }
    }

    @Test
    void savedAndLoadedModelGivesIdenticalVerdicts(@TempDir Path dir) throws Exception {
        model.save(dir);
        assertTrue(Files.exists(dir.resolve(ModelManifest.FILE_NAME)));
        ModelManifest m = ModelManifest.read(dir);
        assertEquals("deeplog", m.method());
        assertEquals(List.of(10, 20, 30, 40, 50, 60), m.vocabulary());
        assertEquals(3, ((Number) m.hyperParameters().get("history")).intValue());
        List<Sequence> probes = List.of(cycle("a", 0, 15), cycle("b", 3, 4),
                new Sequence("c", new int[]{10, 20, 30, 40, 50, 60, 10, 20, 40}, Label.UNKNOWN));
        try (Detector loaded = Detectors.load(dir)) {
            List<Verdict> before = model.scoreAll(probes);
            List<Verdict> after = loaded.scoreAll(probes);
            for (int i = 0; i < probes.size(); i++) {
                assertEquals(before.get(i).anomalous(), after.get(i).anomalous());
                assertEquals(before.get(i).score(), after.get(i).score(), 1e-7);
            }
            DeepLogExplanation e = (DeepLogExplanation) after.get(2).explanation();
            assertEquals("write <*>", e.events().get(0).expected().get(0).template());
        }
    }

    @Test
    void aDamagedParameterFileIsReported(@TempDir Path dir) throws Exception {
        model.save(dir);
        byte[] bytes = Files.readAllBytes(dir.resolve(DeepLogDetector.PARAMETERS_FILE));
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(dir.resolve(DeepLogDetector.PARAMETERS_FILE), bytes);
        AnomalogException e = assertThrows(AnomalogException.class, () -> Detectors.load(dir));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aTruncatedParameterFileWithoutChecksumIsReported(@TempDir Path dir) throws Exception {
        model.save(dir);
        byte[] bytes = Files.readAllBytes(dir.resolve(DeepLogDetector.PARAMETERS_FILE));
        Files.write(dir.resolve(DeepLogDetector.PARAMETERS_FILE), java.util.Arrays.copyOf(bytes, bytes.length / 3));
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(
                dir.resolve(ModelManifest.FILE_NAME).toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("training")).remove("parametersSha256");
        Json.MAPPER.writeValue(dir.resolve(ModelManifest.FILE_NAME).toFile(), node);
        assertThrows(AnomalogException.class, () -> Detectors.load(dir));
    }

    @Test
    void missingParametersMissingDirectoryAndNewerFormatAreReported(@TempDir Path dir) throws Exception {
        AnomalogException missingDir = assertThrows(AnomalogException.class,
                () -> Detectors.load(dir.resolve("nope")));
        assertTrue(missingDir.getMessage().contains("does not exist"));

        model.save(dir);
        Files.delete(dir.resolve(DeepLogDetector.PARAMETERS_FILE));
        AnomalogException missing = assertThrows(AnomalogException.class, () -> Detectors.load(dir));
        assertTrue(missing.getMessage().contains(DeepLogDetector.PARAMETERS_FILE), missing.getMessage());

        model.save(dir);
        String text = Files.readString(dir.resolve(ModelManifest.FILE_NAME))
                .replaceFirst("\"formatVersion\" : 1", "\"formatVersion\" : 99");
        Files.writeString(dir.resolve(ModelManifest.FILE_NAME), text);
        AnomalogException newer = assertThrows(AnomalogException.class, () -> Detectors.load(dir));
        assertTrue(newer.getMessage().contains("format version 99"), newer.getMessage());

        Files.writeString(dir.resolve(ModelManifest.FILE_NAME), "{ not json");
        assertThrows(AnomalogException.class, () -> Detectors.load(dir));
    }

    @Test
    void unknownParametersAndBadValuesAreRejected() {
        DeepLogProvider p = new DeepLogProvider();
        assertThrows(AnomalogException.class, () -> p.trainer(Params.of("histroy", "5")));
        assertThrows(AnomalogException.class, () -> p.trainer(Params.of("history", "0")));
        assertThrows(AnomalogException.class, () -> p.trainer(Params.of("lr", "fast")));
    }

    @Test
    void aPlateauCutsTheLearningRateAndTrainingGoesOnFromThere() {
        // after 30 comes 40 or 50 at random: the loss has a floor above zero, so it levels off
        java.util.Random random = new java.util.Random(11);
        List<Sequence> training = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int[] keys = new int[12];
            for (int j = 0; j < keys.length; j++) {
                keys[j] = j % 3 == 0 ? 10 : j % 3 == 1 ? 30 : random.nextBoolean() ? 40 : 50;
            }
            training.add(new Sequence("c" + i, keys, Label.NORMAL));
        }
        Map<String, Object> plain;
        Map<String, Object> cut;
        try (Detector a = new DeepLogProvider().trainer(plateauParams("0")).fit(training, null, Progress.NONE);
             Detector b = new DeepLogProvider().trainer(plateauParams("2")).fit(training, null, Progress.NONE)) {
            plain = a.manifest().training();
            cut = b.manifest().training();
            assertEquals(0, ((Number) plain.get("learningRateCuts")).intValue());
            int cuts = ((Number) cut.get("learningRateCuts")).intValue();
            assertTrue(cuts >= 1 && cuts <= 2, "cuts: " + cuts);
            // the same seed follows the same path up to the first plateau, then training continues past it
            assertTrue((Integer) cut.get("epochsRun") > (Integer) plain.get("epochsRun"), cut + " vs " + plain);
            double before = ((Number) a.manifest().metrics().get("validationLoss")).doubleValue();
            double after = ((Number) b.manifest().metrics().get("validationLoss")).doubleValue();
            assertTrue(after <= before, after + " > " + before);
            assertEquals("2", String.valueOf(b.manifest().hyperParameters().get("lrDrops")));
        }
        assertThrows(AnomalogException.class, () -> new DeepLogProvider().trainer(Params.of("lrDrops", "-1")));
        assertThrows(AnomalogException.class, () -> new DeepLogProvider().trainer(Params.of("lrDecay", "1.5")));
    }

    private static Params plateauParams(String drops) {
        // a large step size plateaus quickly on this cycle; patience 2 makes the plateau come early
        return Params.of("history", "3", "hidden", "8", "layers", "1", "epochs", "300", "batch", "16", "lr", "0.05",
                "patience", "2", "seed", "5", "lrDrops", drops);
    }

    @Test
    void trainingWithTheSameSeedGivesTheSameModel() {
        List<Sequence> training = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            training.add(cycle("t" + i, i, 10));
        }
        Params p = Params.of("history", "3", "hidden", "8", "layers", "1", "epochs", "3", "batch", "16", "seed", "3");
        Params q = Params.of("history", "3", "hidden", "8", "layers", "1", "epochs", "3", "batch", "16", "seed", "3");
        Sequence probe = new Sequence("p", new int[]{10, 20, 30, 50, 40, 10}, Label.UNKNOWN);
        try (Detector a = new DeepLogProvider().trainer(p).fit(training, null, Progress.NONE);
             Detector b = new DeepLogProvider().trainer(q).fit(training, null, Progress.NONE)) {
            assertEquals(a.score(probe).score(), b.score(probe).score(), 1e-9);
            assertEquals(a.manifest().metrics(), b.manifest().metrics());
        }
    }

    @Test
    void topGAutoPicksTheSmallestGThatKeepsTheValidationSessionsAtTheTarget() {
        List<Sequence> training = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            training.add(cycle("s" + i, i % CYCLE.length, 12 + i % 7));
        }
        List<Sequence> validation = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            validation.add(cycle("v" + i, i % CYCLE.length, 14));
        }
        // one validation session in 20 breaks the cycle: a 5% target may leave it flagged, 0% may not
        validation.set(3, new Sequence("odd", new int[]{10, 20, 30, 40, 50, 60, 10, 20, 40, 30, 50, 60}, Label.NORMAL));
        Params p = Params.of("history", "3", "topG", "auto", "target", "0", "hidden", "16", "epochs", "40",
                "batch", "32", "lr", "0.03", "seed", "7");
        try (Detector d = new DeepLogProvider().trainer(p).withValidation(validation)
                .fit(training, null, Progress.NONE)) {
            DeepLogDetector dl = (DeepLogDetector) d;
            int g = dl.config().topG();
            List<SessionSurprise> s = dl.surprises(validation);
            assertEquals(0.0, Calibration.flaggedShareAtTopG(s, g));
            assertTrue(g == 1 || Calibration.flaggedShareAtTopG(s, g - 1) > 0, "g - 1 would have done");
            assertTrue(g > 1, "the odd validation session needs g > 1");
            Map<?, ?> cal = (Map<?, ?>) d.manifest().training().get("calibration");
            assertEquals(g, ((Number) cal.get("calibratedTopG")).intValue());
            assertEquals(g, ((Number) d.manifest().hyperParameters().get("topG")).intValue());
            assertEquals("top-auto", cal.get("ruleRequested"));
            // verdicts follow the calibrated g: no validation session flagged
            for (Sequence v : validation) {
                assertFalse(d.score(v).anomalous(), v.id());
            }
        }
    }

    @Test
    void theProbabilityRuleFlagsExactlyTheSessionsWithAKeyBelowTheThreshold() {
        DeepLogDetector dl = (DeepLogDetector) model;
        List<Sequence> probes = List.of(cycle("ok", 0, 12),
                new Sequence("swap", new int[]{10, 20, 30, 50, 40, 60, 10, 20}, Label.UNKNOWN));
        List<SessionSurprise> s = dl.surprises(probes);
        double t = (s.get(0).lowestProbability() + s.get(1).lowestProbability()) / 2;
        DeepLogConfig rule = dl.config().withThreshold(t);
        try (DeepLogDetector byP = dl.withRule(rule, dl.manifest())) {
            assertFalse(byP.score(probes.get(0)).anomalous());
            assertTrue(byP.score(probes.get(1)).anomalous());
        }
    }
}
