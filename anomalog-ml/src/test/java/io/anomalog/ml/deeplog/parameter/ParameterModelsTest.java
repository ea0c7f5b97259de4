package io.anomalog.ml.deeplog.parameter;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.io.Json;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.log.TimeReader;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.deeplog.DeepLogDetector;
import io.anomalog.ml.deeplog.DeepLogModels;
import io.anomalog.ml.deeplog.DeepLogProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions of a small job: open (1), two writes of a size (2), each followed by a done (3) some seconds later, and
 * in a third of the sessions a rare check (4). Sizes and delays vary within bounds; planted anomalies step out.
 */
class ParameterModelsTest {

    private static final TimeReader EPOCH = TimeReader.epoch();
    private static Detector model;

    /** Normal variation: sizes 900..1100 bytes, a done 1..3 s after its write, other steps 0..0.5 s apart. */
    static Sequence session(String id, Random r, double size, double delay, boolean anomalous) {
        List<ParsedEvent> events = new ArrayList<>();
        double[] t = {1_700_000_000 + r.nextInt(1_000_000)};
        add(events, id, 1, "open <*>", List.of("file" + r.nextInt(100)), t, r.nextDouble() * 0.5);
        for (int w = 0; w < 2; w++) {
            double bytes = Double.isNaN(size) || w == 0 ? 900 + r.nextInt(201) : size;
            add(events, id, 2, "write <*> bytes to <*>", List.of(String.valueOf((long) bytes), "node" + r.nextInt(5)),
                    t, r.nextDouble() * 0.5);
            double gap = Double.isNaN(delay) || w == 0 ? 1 + 2 * r.nextDouble() : delay;
            add(events, id, 3, "done", List.of(), t, gap);
        }
        if (r.nextInt(3) == 0) {
            add(events, id, 4, "check took <*>ms", List.of(String.valueOf(10 + r.nextInt(11))), t, 0.1);
        }
        int[] keys = events.stream().mapToInt(ParsedEvent::templateId).toArray();
        return new Sequence(id, keys, anomalous ? Label.ANOMALOUS : Label.NORMAL, events);
    }

    private static void add(List<ParsedEvent> events, String id, int key, String template, List<String> params,
                            double[] clock, double gap) {
        clock[0] += gap;
        String stamp = String.format(Locale.ROOT, "%.3f", clock[0]);
        String content = template;
        for (String p : params) {
            content = content.replaceFirst("<\\*>", p);
        }
        LogRecord record = new LogRecord("test", events.size() + 1, -1, "h1", stamp, EPOCH, "INFO", "job",
                Map.of("session", id), content, stamp + " " + content, true, false);
        events.add(new ParsedEvent(record, key, template, params));
    }

    static List<Sequence> normals(String prefix, int n, long seed) {
        Random r = new Random(seed);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(session(prefix + i, r, Double.NaN, Double.NaN, false));
        }
        return out;
    }

    static Params params() {
        return Params.of("history", "2", "topG", "2", "hidden", "8", "epochs", "20", "batch", "64", "lr", "0.03",
                "patience", "3", "seed", "7", "parameterHidden", "8", "parameterEpochs", "30",
                "parameterLr", "0.02", "parameterThreads", "2", "parameterMinVectors", "200");
    }

    @BeforeAll
    static void train() {
        List<Sequence> training = normals("t", 400, 1);
        model = new DeepLogProvider().trainer(params()).fit(training, KeyVocabulary.of(training), Progress.NONE);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static ParameterModel parameters() {
        return ((DeepLogModels) model).parameterModel();
    }

    @Test
    void trainingWithEventsGivesKeyAndParameterModelsThatNeedEvents() {
        DeepLogModels both = assertInstanceOf(DeepLogModels.class, model);
        assertTrue(both.needsEvents());
        Map<?, ?> summary = (Map<?, ?>) model.manifest().training().get("parameterModels");
        assertNotNull(summary, "the manifest says what the parameter models are");
        assertEquals(parameters().kinds(), summary.get("kinds"));
    }

    @Test
    void keysWithFewVectorsGetAPerDimensionGaussianAndTheModelSaysWhichKeysHaveWhich() {
        // keys 2 and 3 have 800 vectors, twice a session; key 1 400 but once a session (no history), key 4 ~130
        Map<String, List<Integer>> kinds = parameters().kinds();
        assertEquals(List.of(2, 3), kinds.get(KeyModel.LSTM));
        assertEquals(List.of(1, 4), kinds.get(KeyModel.GAUSSIAN));
        KeyLayout write = parameters().layouts().get(2);
        assertEquals(List.of("p1", KeyLayout.SECONDS), write.names(), "the node name is no quantity");
    }

    @Test
    void aPlantedDelayOrSizeAnomalyIsCaughtWhileNormalVariationIsNot() {
        List<Sequence> fresh = normals("n", 400, 99);
        long falseAlarms = model.scoreAll(fresh).stream().filter(Verdict::anomalous).count();
        // each session has several vectors judged at 99.9%, and the networks' random draws depend on what ran
        // before in the same JVM: at most 1.5% of normal sessions, far from the planted anomalies' 100%
        assertTrue(falseAlarms <= 6, falseAlarms + " of 400 fresh normal sessions flagged");

        Random r = new Random(5);
        List<Sequence> delayed = new ArrayList<>();
        List<Sequence> large = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            delayed.add(session("d" + i, r, Double.NaN, 12 + r.nextInt(20), true));
            large.add(session("s" + i, r, 3000 + r.nextInt(2000), Double.NaN, true));
        }
        try (DeepLogDetector keysAlone = ((DeepLogModels) model).keyModel().withTopG(2)) {
            assertEquals(0, keysAlone.scoreAll(delayed).stream().filter(Verdict::anomalous).count(),
                    "the keys of a delayed session are in order: the key model sees nothing");
        }
        List<Verdict> d = model.scoreAll(delayed);
        List<Verdict> s = model.scoreAll(large);
        assertEquals(50, d.stream().filter(Verdict::anomalous).count(), "delays caught");
        assertEquals(50, s.stream().filter(Verdict::anomalous).count(), "sizes caught");

        ParameterExplanation why = assertInstanceOf(ParameterExplanation.class, s.get(0).explanation());
        ParameterFinding f = why.events().get(0);
        assertEquals(2, f.key());
        assertEquals("write <*> bytes to <*>", f.template());
        assertEquals(large.get(0).events().get(f.position() - 1).parameters().get(0),
                String.valueOf((long) f.observed()[0]), "observed value in the parameter's own units");
        assertTrue(f.predicted()[0] > 850 && f.predicted()[0] < 1150, "predicted a normal size: " + f.predicted()[0]);
        assertTrue(f.deviations()[0] > 10, "far out: " + f.deviations()[0] + " deviations");
        assertTrue(why.summary().contains("key 2 'write <*> bytes to <*>'"), why.summary());

        ParameterFinding late = ((ParameterExplanation) d.get(0).explanation()).events().get(0);
        assertEquals(3, late.key());
        assertEquals(List.of(KeyLayout.SECONDS), late.dimensions());
        assertTrue(late.observed()[0] >= 12, "observed delay " + late.observed()[0]);
    }

    @Test
    void theGaussianThresholdIsTheUpperBoundOfTheConfidenceIntervalOfTheValidationErrors() {
        assertEquals(3.290527, Gaussian.z(0.999), 1e-6);
        assertEquals(1.959964, Gaussian.z(0.95), 1e-6);
        Gaussian g = Gaussian.fit(new double[]{1, 2, 3, 4});
        assertEquals(2.5, g.mean(), 1e-12);
        assertEquals(Math.sqrt(1.25), g.sd(), 1e-12);
        assertEquals(2.5 + 3.290527 * Math.sqrt(1.25), g.upperBound(0.999), 1e-5);

        KeyModel write = parameters().models().get(2);
        assertEquals(write.errorMean() + Gaussian.z(0.999) * write.errorSd(), parameters().threshold(write), 1e-12);
        assertEquals(Gaussian.z(0.999), parameters().threshold(parameters().models().get(4)), 1e-12,
                "a Gaussian key's bound is z deviations");
        assertTrue(parameters().withConfidence(0.9).threshold(write) < parameters().threshold(write));
    }

    @Test
    void saveAndLoadGiveIdenticalOutputs(@TempDir Path dir) throws Exception {
        model.save(dir);
        assertTrue(Files.exists(dir.resolve(ParameterModel.FILE)));
        Random r = new Random(11);
        List<Sequence> mixed = new ArrayList<>(normals("m", 50, 12));
        for (int i = 0; i < 20; i++) {
            mixed.add(session("x" + i, r, i % 2 == 0 ? 5000 : Double.NaN, i % 2 == 1 ? 20 : Double.NaN, true));
        }
        try (Detector loaded = Detectors.load(dir)) {
            assertInstanceOf(DeepLogModels.class, loaded);
            assertEquals(Json.MAPPER.writeValueAsString(model.scoreAll(mixed)),
                    Json.MAPPER.writeValueAsString(loaded.scoreAll(mixed)));
        }
    }

    @Test
    void aParameterFileOfAnotherFormatVersionIsAClearError(@TempDir Path dir) throws Exception {
        model.save(dir);
        Path file = dir.resolve(ParameterModel.FILE);
        Files.writeString(file, Files.readString(file).replaceFirst("\"formatVersion\"\\s*:\\s*2", "\"formatVersion\": 99"));
        AnomalogException e = assertThrows(AnomalogException.class, () -> Detectors.load(dir));
        assertTrue(e.getMessage().contains("format version 99"), e.getMessage());
    }

    @Test
    void parametersFalseTrainsTheKeyModelAlone() {
        List<Sequence> training = normals("t", 60, 3);
        Params off = Params.of("history", "2", "epochs", "2", "parameters", "false");
        try (Detector keys = new DeepLogProvider().trainer(off).fit(training, KeyVocabulary.of(training),
                Progress.NONE)) {
            DeepLogModels withWorkflows = assertInstanceOf(DeepLogModels.class, keys);
            assertEquals(null, withWorkflows.parameterModel());
            assertNotNull(withWorkflows.workflows(), "workflows are still built from text");
            assertFalse(keys.needsEvents());
        }
        Params none = Params.of("history", "2", "epochs", "2", "parameters", "false", "workflows", "false");
        try (Detector keys = new DeepLogProvider().trainer(none).fit(training, KeyVocabulary.of(training),
                Progress.NONE)) {
            assertInstanceOf(DeepLogDetector.class, keys);
        }
    }

    @Test
    void quantitiesAreNumbersWithUnitsAndIdentifiersAreNot() {
        assertEquals(1024.0 * 64, Quantities.parse("64KB"), 1e-9);
        assertEquals(0.012, Quantities.parse("12ms"), 1e-12);
        assertEquals(67108864, Quantities.parse("67108864"), 0);
        assertEquals(-3.5, Quantities.parse("(-3.5),"), 0);
        assertTrue(Double.isNaN(Quantities.parse("-1608999687919862906")), "a block id is an identifier");
        assertTrue(Double.isNaN(Quantities.parse("10.250.19.102:50010")));
        assertTrue(Double.isNaN(Quantities.parse("blk_123")));
        assertTrue(Double.isNaN(Quantities.parse("12parsecs")));
    }

    @Test
    void feedbackIsLearntByTheKeyModelWhileTheParameterModelsAndWorkflowsStay() {
        // a session with a step the key model never saw after a write: "check" (4) right after the open (1)
        Random r = new Random(21);
        List<Sequence> marked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Sequence s = session("f" + i, r, Double.NaN, Double.NaN, false);
            List<ParsedEvent> ev = new ArrayList<>(s.events());
            ParsedEvent check = ev.get(1);
            ev.add(1, new ParsedEvent(check.record(), 4, "check took <*>ms", List.of("15")));
            int[] keys = ev.stream().mapToInt(ParsedEvent::templateId).toArray();
            marked.add(new Sequence(s.id(), keys, Label.NORMAL, ev));
        }
        io.anomalog.core.detect.Updatable.Updated up = ((DeepLogModels) model).learnNormal(marked, null,
                io.anomalog.core.detect.Updatable.Settings.defaults(), Progress.NONE);
        try (Detector next = up.detector()) {
            DeepLogModels both = assertInstanceOf(DeepLogModels.class, next);
            assertEquals(parameters().kinds(), both.parameterModel().kinds());
            assertEquals(((DeepLogModels) model).workflows(), both.workflows());
            Sequence late = session("late", new Random(8), Double.NaN, 25, true);
            assertTrue(next.score(late).anomalous(), "a delay is still caught after the update");
        }
        assertTrue(model.score(session("late", new Random(8), Double.NaN, 25, true)).anomalous(),
                "the parent still works: the new version has its own copy of the parameter models");
    }
}
