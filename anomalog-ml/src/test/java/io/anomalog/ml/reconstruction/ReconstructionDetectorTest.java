package io.anomalog.ml.reconstruction;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.features.FeatureRows;
import io.anomalog.core.io.Json;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconstructionDetectorTest {

    static final List<String> NAMES = List.of("entries", "error_rate", "latency_mean", "latency_p95");
    static final int SPIKE = 2300;
    static final int DELAY = 2500;
    static double[][] series;
    static ReconstructionDetector detector;
    static List<Sequence> validation;
    static List<Sequence> test;

    /** A service whose load follows a cycle of 100 windows, with noise. */
    static double[][] series(long seed) {
        Random rnd = new Random(seed);
        double[][] s = new double[2800][];
        for (int t = 0; t < s.length; t++) {
            double load = 100 + 60 * Math.sin(2 * Math.PI * t / 100.0);
            double entries = load + rnd.nextGaussian() * Math.sqrt(load);
            double latency = 20 + 0.05 * load + rnd.nextGaussian();
            s[t] = new double[]{entries, 0.01 + 0.003 * rnd.nextGaussian(), latency, latency * 2.5
                    + 2 * rnd.nextGaussian()};
        }
        return s;
    }

    static Sequence window(double[][] s, int t, boolean anomalous) {
        return new Sequence("w" + t, new int[0], anomalous ? Label.ANOMALOUS : Label.NORMAL, List.of(),
                new FeatureRows(NAMES, s, t, 8));
    }

    static List<Sequence> windows(int from, int to) {
        List<Sequence> out = new ArrayList<>();
        for (int t = from; t < to; t++) {
            out.add(window(series, t, t == SPIKE || t == DELAY));
        }
        return out;
    }

    @BeforeAll
    static void train() {
        series = series(1);
        series[SPIKE][1] = 0.35;                                   // a bad deployment: a third of requests fail
        series[DELAY][2] *= 5;                                     // a slow dependency
        series[DELAY][3] *= 5;
        validation = windows(1600, 2000);
        test = windows(2000, 2800);
        detector = (ReconstructionDetector) Detectors.provider("reconstruction")
                .trainer(Params.of("history", "8", "epochs", "25", "k", "4", "batch", "64", "lr", "0.002", "patience", "4"))
                .withValidation(validation).fit(windows(0, 1600), new KeyVocabulary(List.of()), Progress.NONE);
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    @Test
    void theThresholdIsTheMeanPlusKStandardDeviationsOfTheValidationErrors() {
        double[] errors = detector.scoreAll(validation).stream().mapToDouble(Verdict::score).toArray();
        double mean = java.util.Arrays.stream(errors).average().orElseThrow();
        double var = java.util.Arrays.stream(errors).map(e -> (e - mean) * (e - mean)).sum() / errors.length;
        assertEquals(mean + 4 * Math.sqrt(var), detector.threshold(), 1e-9);
        assertEquals(mean, detector.state().validationMean(), 1e-9);
        assertEquals(400, detector.state().validationCount());
        assertEquals(detector.threshold(), ((Number) detector.manifest().training().get("threshold")).doubleValue());
        double[] t = ReconstructionTrainer.threshold(new double[]{1, 2, 3, 6}, 2);
        assertEquals(3, t[0], 1e-12);
        assertEquals(Math.sqrt(3.5), t[1], 1e-12);
        assertEquals(3 + 2 * Math.sqrt(3.5), t[2], 1e-12);
    }

    @Test
    void aPlantedErrorSpikeAndAPlantedDelayAreCaughtAndNamed() {
        List<Verdict> verdicts = detector.scoreAll(test);
        Verdict spike = verdicts.get(SPIKE - 2000);
        Verdict delay = verdicts.get(DELAY - 2000);
        assertTrue(spike.anomalous(), spike.toString());
        assertTrue(delay.anomalous(), delay.toString());
        ReconstructionExplanation.Feature worstOfSpike = ((ReconstructionExplanation) spike.explanation()).worst()
                .get(0);
        assertEquals("error_rate", worstOfSpike.name(), spike.explanation().summary());
        assertEquals(0.35, worstOfSpike.observed(), 1e-9);
        assertTrue(worstOfSpike.reconstructed() < 0.1, "expected about 0.01: " + worstOfSpike);
        String worstOfDelay = ((ReconstructionExplanation) delay.explanation()).worst().get(0).name();
        assertTrue(worstOfDelay.startsWith("latency"), delay.explanation().summary());
        assertTrue(delay.explanation().summary().contains("expected"), delay.explanation().summary());
        long falseAlarms = 0;
        for (int i = 0; i < verdicts.size(); i++) {
            // the windows after a planted one carry it in their history; only their own vectors are judged
            falseAlarms += verdicts.get(i).anomalous() && !test.get(i).label().equals(Label.ANOMALOUS) ? 1 : 0;
        }
        assertTrue(falseAlarms <= 8, falseAlarms + " of 798 normal windows flagged");
    }

    @Test
    void aSavedAndLoadedModelGivesIdenticalOutputs(@TempDir Path dir) throws Exception {
        detector.save(dir);
        try (Detector loaded = Detectors.load(dir)) {
            List<Verdict> a = detector.scoreAll(test);
            List<Verdict> b = loaded.scoreAll(test);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).score(), b.get(i).score(), 0.0, test.get(i).id());
                assertEquals(a.get(i).anomalous(), b.get(i).anomalous());
                assertEquals(a.get(i).explanation().summary(), b.get(i).explanation().summary());
            }
        }
    }

    @Test
    void aSavedStateOfAnotherFormatIsRefusedWithAClearError(@TempDir Path dir) throws Exception {
        detector.save(dir);
        Path state = dir.resolve(ReconstructionDetector.STATE_FILE);
        String json = java.nio.file.Files.readString(state);
        String format = "\"format\" : " + ReconstructionDetector.STATE_FORMAT;
        assertTrue(json.contains(format), json.substring(0, Math.min(200, json.length())));
        java.nio.file.Files.writeString(state, json.replace(format, "\"format\" : 1"));
        io.anomalog.core.util.AnomalogException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.anomalog.core.util.AnomalogException.class, () -> Detectors.load(dir).close());
        assertTrue(e.getMessage().contains("has format 1") && e.getMessage().contains("train the model again"),
                e.getMessage());
    }

    @Test
    void windowsWithoutFeaturesOrWithOtherColumnsAreClearErrors() {
        AnomalogException none = assertThrows(AnomalogException.class,
                () -> detector.score(new Sequence("s", new int[]{1, 2}, Label.NORMAL)));
        assertTrue(none.getMessage().contains("feature vectors"), none.getMessage());
        Sequence other = new Sequence("o", new int[0], Label.NORMAL, List.of(),
                FeatureRows.of(List.of("entries", "x"), new double[]{1, 2}));
        AnomalogException cols = assertThrows(AnomalogException.class, () -> detector.score(other));
        assertTrue(cols.getMessage().contains("4 the model was trained on"), cols.getMessage());
        assertFalse(detector.needsEvents());
    }

    @Test
    void eachFeaturesErrorIsDividedByItsMeanSquaredErrorOnTheValidationWindowsAndItsTailsFittedThere() {
        double[][] sq = detector.squaredErrors(validation, false);
        for (int j = 0; j < NAMES.size(); j++) {
            double mean = 0;
            for (double[] row : sq) {
                mean += row[j];
            }
            // divided by their own mean, the validation windows' errors average 1 on every feature
            assertEquals(1.0, mean / sq.length, 1e-6, NAMES.get(j));
        }
        ErrorTails fitted = ErrorTails.fit(sq, NAMES.size(), ReconstructionConfig.defaults().shape());
        for (int j = 0; j < NAMES.size(); j++) {
            assertArrayEquals(fitted.quantiles()[j], detector.state().tails().quantiles()[j], 1e-9, NAMES.get(j));
        }
        assertArrayEquals(fitted.tailScale(), detector.state().tails().tailScale(), 1e-9);
        double[][] held = detector.squaredErrors(validation, true);
        ErrorTails persistent = ErrorTails.fit(held, NAMES.size(), ReconstructionConfig.defaults().shape());
        assertArrayEquals(persistent.tailScale(), detector.state().persistentTails().tailScale(), 1e-9);
        for (int i = 0; i < held.length; i++) {
            for (int j = 0; j < NAMES.size(); j++) {
                // the least over the last 3 windows is at most the last window's own
                assertTrue(held[i][j] <= sq[i][j] + 1e-12, validation.get(i).id() + " " + NAMES.get(j));
            }
        }
        double[] floored = ReconstructionTrainer.errorScale(new double[][]{{0, 2}, {0, 4}}, 2, true);
        assertEquals(3, floored[1], 1e-12);
        assertEquals(1.5e-3, floored[0], 1e-12, "an exactly rebuilt feature is floored, never 0");
        assertEquals(1, ReconstructionTrainer.errorScale(sq, NAMES.size(), false)[0]);
    }

    @Test
    void aTailScoredStateWithoutItsTailsIsRefusedWithAClearError(@TempDir Path dir) throws Exception {
        detector.save(dir);
        Path state = dir.resolve(ReconstructionDetector.STATE_FILE);
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(state.toFile());
        json.putNull("tails");
        Json.MAPPER.writeValue(state.toFile(), json);
        AnomalogException e = assertThrows(AnomalogException.class, () -> Detectors.load(dir).close());
        assertTrue(e.getMessage().contains("score=tail needs tails"), e.getMessage());
    }

    @Test
    void aStateWhoseTailShapeIsOneOrMoreIsRefusedWithAClearError(@TempDir Path dir) throws Exception {
        detector.save(dir);
        Path state = dir.resolve(ReconstructionDetector.STATE_FILE);
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(state.toFile());
        ((com.fasterxml.jackson.databind.node.ArrayNode) json.get("tails").get("tailShape")).set(0, 1.5);
        Json.MAPPER.writeValue(state.toFile(), json);
        AnomalogException e = assertThrows(AnomalogException.class, () -> Detectors.load(dir).close());
        assertTrue(e.getMessage().contains("a shape in [0, 1) per feature"), e.getMessage());
    }

    /**
     * Ten counts that follow the load with much noise, and two latencies the load decides almost exactly: the
     * network rebuilds the latencies closely and the counts loosely.
     */
    static double[][] noisyService(long seed) {
        Random rnd = new Random(seed);
        double[][] s = new double[2000][];
        for (int t = 0; t < s.length; t++) {
            double load = 100 + 60 * Math.sin(2 * Math.PI * t / 100.0);
            double[] row = new double[12];
            for (int j = 0; j < 10; j++) {
                row[j] = load * (1 + 0.3 * rnd.nextGaussian());
            }
            row[10] = 20 + 0.1 * load + 0.2 * rnd.nextGaussian();
            row[11] = 2 * row[10] + 0.2 * rnd.nextGaussian();
            s[t] = row;
        }
        return s;
    }

    @Test
    void aQuietFeatureFarOffIsCaughtByTheTailAndNormalisedScoresAndDrownsInThePlainMean() {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < 10; j++) {
            names.add("count_" + j);
        }
        names.add("latency_mean");
        names.add("latency_p95");
        double[][] s = noisyService(3);
        int slow = 1900;
        // one and a half of the latencies' standard deviations over the cycle, far beyond what the load explains
        s[slow][10] += 6;
        s[slow][11] += 12;
        List<List<Sequence>> split = splitInTime(names, s, t -> t == slow);
        List<Sequence> train = split.get(0);
        List<Sequence> val = split.get(1);
        List<Sequence> probe = split.get(2);
        String[] scores = {"tail", "normalised", "mse"};
        boolean[] caught = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            try (Detector d = Detectors.provider("reconstruction")
                    .trainer(Params.of("history", "4", "epochs", "15", "batch", "64", "lr", "0.005", "score", scores[i]))
                    .withValidation(val).fit(train, new KeyVocabulary(List.of()), Progress.NONE)) {
                Verdict v = d.score(probe.get(slow - 1600));
                caught[i] = v.anomalous();
                if (i < 2) {
                    String worst = ((ReconstructionExplanation) v.explanation()).worst().get(0).name();
                    assertTrue(worst.startsWith("latency"), v.explanation().summary());
                }
            }
        }
        assertTrue(caught[0], "the largest surprise catches the slow window");
        assertTrue(caught[1], "normalised errors catch the slow window");
        assertFalse(caught[2], "in the plain mean the slow window's error stays below the threshold");
    }

    @Test
    void aSmallSlowDownThatLastsIsCaughtByThePersistentSurpriseWhereSingleWindowsMissIt() {
        // thirty features of independent noise around their own levels, as the response-time deviations of quiet
        // services are; the network cannot rebuild noise, so every window's errors are that noise
        Random rnd = new Random(11);
        List<String> names = new ArrayList<>();
        for (int j = 0; j < 30; j++) {
            names.add("latency_" + j);
        }
        double[][] s = new double[2000][30];
        for (double[] row : s) {
            for (int j = 0; j < row.length; j++) {
                row[j] = 10 + j + rnd.nextGaussian();
            }
        }
        // a creep: from window 1700 on, two of them sit a little higher in every window
        int from = 1700;
        int to = 1760;
        for (int t = from; t < to; t++) {
            s[t][0] += 2.5;
            s[t][1] += 2.5;
        }
        List<List<Sequence>> split = splitInTime(names, s, t -> t >= from && t < to);
        List<Sequence> train = split.get(0);
        List<Sequence> val = split.get(1);
        List<Sequence> probe = split.get(2);
        int[] caught = new int[2];
        int[] falseAlarms = new int[2];
        String[] persist = {"3", "0"};
        for (int i = 0; i < 2; i++) {
            try (Detector d = Detectors.provider("reconstruction")
                    .trainer(Params.of("history", "4", "epochs", "15", "batch", "64", "lr", "0.005", "persist", persist[i]))
                    .withValidation(val).fit(train, new KeyVocabulary(List.of()), Progress.NONE)) {
                List<Verdict> verdicts = d.scoreAll(probe);
                for (int k = 0; k < probe.size(); k++) {
                    boolean slow = probe.get(k).label() == Label.ANOMALOUS;
                    caught[i] += slow && verdicts.get(k).anomalous() ? 1 : 0;
                    falseAlarms[i] += !slow && verdicts.get(k).anomalous() ? 1 : 0;
                }
                if (i == 0) {
                    Verdict late = verdicts.get(to - 1 - 1600);
                    assertTrue(late.explanation().summary().contains("off for 3 windows"), late.explanation().summary());
                }
            }
        }
        // measured: 47 against 6 of the 60, with 15 and 7 of the 340 normal windows flagged
        assertTrue(caught[0] >= 30, "persist=3 caught " + caught[0] + " of 60 slow windows");
        assertTrue(caught[0] >= caught[1] + 20, "persist=3 " + caught[0] + " against persist=0 " + caught[1]);
        assertTrue(falseAlarms[0] <= 20 && falseAlarms[1] <= 20, falseAlarms[0] + " and " + falseAlarms[1]
                + " of 340 normal windows flagged");
    }

    @Test
    void thePersistenceMustFitTheHistoryItsDefaultShortensWithItAndOnlyTheTailScoreTakesIt() {
        AnomalogException e = assertThrows(AnomalogException.class,
                () -> ReconstructionConfig.from(Params.of("history", "4", "persist", "5")));
        assertTrue(e.getMessage().contains("persist must be 0 or between 2 and history (4), got 5"), e.getMessage());
        assertEquals(2, ReconstructionConfig.from(Params.of("history", "2")).persist());
        assertEquals(0, ReconstructionConfig.from(Params.of("history", "1")).persist());
        assertEquals(3, ReconstructionConfig.from(Params.of()).persist());
        // the other scores do not use it: off by default, refused when asked for
        assertEquals(0, ReconstructionConfig.from(Params.of("score", "normalised")).persist());
        AnomalogException mse = assertThrows(AnomalogException.class,
                () -> ReconstructionConfig.from(Params.of("score", "mse", "persist", "3")));
        assertTrue(mse.getMessage().contains("persist works with score=tail only"), mse.getMessage());
    }

    @Test
    void theTailShapeIsBelowOneOnlyTheTailScoreTakesItAndZeroIsTheDefaultOfTheOthers() {
        assertEquals(0.8, ReconstructionConfig.from(Params.of()).shape(), 0.0);
        assertEquals(0, ReconstructionConfig.from(Params.of("score", "normalised")).shape(), 0.0);
        assertEquals(0, ReconstructionConfig.from(Params.of("shape", "0")).shape(), 0.0);
        AnomalogException one = assertThrows(AnomalogException.class,
                () -> ReconstructionConfig.from(Params.of("shape", "1")));
        assertTrue(one.getMessage().contains("shape must be at least 0 and below 1, got 1.0"), one.getMessage());
        AnomalogException mse = assertThrows(AnomalogException.class,
                () -> ReconstructionConfig.from(Params.of("score", "mse", "shape", "0.5")));
        assertTrue(mse.getMessage().contains("shape works with score=tail only"), mse.getMessage());
    }

    /** Sequences of history 4 over the rows of s: windows 0-1199 to train on, 1200-1599 to validate, the rest. */
    private static List<List<Sequence>> splitInTime(List<String> names, double[][] s, IntPredicate anomalous) {
        List<List<Sequence>> split = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int t = 0; t < s.length; t++) {
            Sequence w = new Sequence("w" + t, new int[0], anomalous.test(t) ? Label.ANOMALOUS : Label.NORMAL,
                    List.of(), new FeatureRows(names, s, t, 4));
            split.get(t < 1200 ? 0 : t < 1600 ? 1 : 2).add(w);
        }
        return split;
    }
}
