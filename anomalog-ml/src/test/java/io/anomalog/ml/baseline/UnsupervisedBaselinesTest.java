package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnsupervisedBaselinesTest {

    private static final KeyVocabulary VOCABULARY = new KeyVocabulary(List.of(1, 2, 3, 4, 9));

    private static Detector fit(String method, List<Sequence> training, String... params) {
        return Detectors.provider(method).trainer(Params.of(params)).fit(training, VOCABULARY, Progress.NONE);
    }

    private static double maxScore(Detector d, List<Sequence> sequences) {
        return d.scoreAll(sequences).stream().mapToDouble(Verdict::score).max().orElseThrow();
    }

    private static long flagged(Detector d, List<Sequence> sequences) {
        return d.scoreAll(sequences).stream().filter(Verdict::anomalous).count();
    }

    /** A window whose keys are all alike, judged on its feature vector (entries, latency), with history rows. */
    private static Sequence window(String id, double[][] series, int end) {
        return new Sequence(id, new int[]{1, 1}, Label.NORMAL, List.of(), new io.anomalog.core.features.FeatureRows(
                List.of("entries", "latency_mean"), series, end, 5));
    }

    @Test
    void zScoreAndMovingAverageJudgeATimeWindowOnItsFeaturesNotItsKeys() {
        java.util.Random rnd = new java.util.Random(3);
        double[][] series = new double[200][];
        for (int i = 0; i < series.length; i++) {
            series[i] = new double[]{100 + rnd.nextGaussian() * 5, 20 + rnd.nextGaussian()};
        }
        series[150] = new double[]{100, 60};    // the same count, three times slower
        List<Sequence> training = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            training.add(window("w" + i, series, i));
        }
        for (String method : List.of("zscore", "moving-average")) {
            Detector d = fit(method, training);
            Verdict slow = d.score(window("slow", series, 150));
            assertTrue(slow.anomalous(), method + ": " + slow);
            assertTrue(slow.explanation().summary().contains("latency_mean"), slow.explanation().summary());
            long flagged = 0;
            for (int i = 100; i < 200; i++) {
                flagged += i != 150 && d.score(window("w" + i, series, i)).anomalous() ? 1 : 0;
            }
            assertTrue(flagged <= 2, method + " flagged " + flagged + " normal windows");
        }
    }

    @Test
    void pcaFlagsAVectorOffTheNormalSubspace() {
        Detector pca = fit("pca", Synthetic.normals(300, 1), "weighting", "none", "components", "2");
        List<Sequence> fresh = Synthetic.normals(100, 2);
        Verdict v = pca.score(Synthetic.unbalanced("bad"));
        assertTrue(v.anomalous(), v.toString());
        assertEquals(0, flagged(pca, fresh));
        assertTrue(v.score() > maxScore(pca, fresh) * 100);
        assertTrue(v.explanation().summary().contains("SPE"));
    }

    @Test
    void pcaQStatisticMatchesTheFormula() {
        // residual eigenvalues 2 and 1: phi = (3, 5, 9), h0 = 1 - 2*3*9/(3*25) = 0.28
        double h0 = 0.28;
        double expected = 3 * Math.pow(3.2905 * Math.sqrt(2 * 5 * h0 * h0) / 3 + 1 + 5 * h0 * (h0 - 1) / 9, 1 / h0);
        assertEquals(expected, PcaProvider.qStatistic(new double[]{10, 2, 1}, 1, 3.2905), 1e-9);
        assertEquals(2, PcaProvider.componentsFor(new double[]{6, 3, 1}, 0.9));
        assertEquals(1, PcaProvider.componentsFor(new double[]{6, 3, 1}, 0.6));
    }

    @Test
    void invariantMiningFindsCountEqualitiesAndFlagsTheirViolation() {
        InvariantsDetector d = (InvariantsDetector) fit("invariants", Synthetic.normals(300, 3));
        Set<String> found = d.invariants().stream().map(i -> i.describe(VOCABULARY)).collect(Collectors.toSet());
        assertTrue(found.contains("count(key 1) - count(key 2) = 0"), found.toString());
        assertTrue(found.contains("count(key 3) - count(key 4) = 0"), found.toString());
        // key 9 never occurs in training: count(key 9) = 0 is an invariant too
        assertTrue(found.contains("count(key 9) = 0"), found.toString());
        Verdict v = d.score(Synthetic.unbalanced("bad"));
        assertTrue(v.anomalous());
        assertTrue(v.explanation().summary().contains("count(key 1) - count(key 2)"), v.explanation().summary());
        assertEquals(0, flagged(d, Synthetic.normals(100, 4)));
    }

    @Test
    void invariantSearchStopsAtTheCandidateCap() {
        InvariantsDetector d = (InvariantsDetector) fit("invariants", Synthetic.normals(100, 3), "max-candidates", "1");
        assertEquals(1L, d.manifest().training().get("candidates tried"));
        // only the never-seen keys' count = 0 invariants remain beside at most one mined one
        assertTrue(d.invariants().stream().filter(i -> i.columns().length > 1).count() <= 1);
    }

    @Test
    void logClusteringFlagsSessionsFarFromEveryNormalCluster() {
        Detector d = fit("logcluster", Synthetic.normals(200, 5));
        assertEquals(0, flagged(d, Synthetic.normals(100, 6)));
        Verdict v = d.score(new Sequence("odd", new int[]{9, 9, 9, 1}, Label.ANOMALOUS));
        assertTrue(v.anomalous(), v.toString());
        assertTrue(v.score() > 0.3);
    }

    @Test
    void completeLinkageCutsTheDendrogramAtMaxDist() {
        double[] a = {1, 0};
        double[] near = {0.99, 0.14};   // cosine distance about 0.0001 from a
        double[] b = {0, 1};            // distance 1 from a
        List<double[]> centroids = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        LogClusterProvider.completeLinkage(new double[][]{a, b, a, near, b, a, b, near, b}, 0.3, centroids, sizes);
        assertEquals(List.of(5, 4), sizes);
        assertEquals((3 * 1 + 2 * 0.99) / 5, centroids.get(0)[0], 1e-12);
        assertEquals(1, centroids.get(1)[1], 1e-12);
        centroids.clear();
        sizes.clear();
        LogClusterProvider.completeLinkage(new double[][]{a, near, b}, 0.0, centroids, sizes);
        assertEquals(List.of(1, 1, 1), sizes);
    }

    @Test
    void isolationForestIsolatesARareCountVectorQuickly() {
        // the usual session is (3 opens, 3 reads); a handful of others are spread thinly around it
        List<Sequence> training = new ArrayList<>();
        for (int i = 0; i < 290; i++) {
            training.add(Synthetic.balanced("u" + i, 3, 3, Label.NORMAL));
        }
        training.addAll(Synthetic.normals(10, 7));
        Detector d = fit("iforest", training);
        Verdict usual = d.score(Synthetic.balanced("usual", 3, 3, Label.NORMAL));
        Verdict rare = d.score(Synthetic.balanced("rare", 1, 5, Label.ANOMALOUS));
        assertFalse(usual.anomalous(), usual.toString());
        assertTrue(rare.anomalous(), rare.toString());
        assertTrue(rare.score() > usual.score() + 0.1);
    }

    @Test
    void isolationForestContaminationFlagsThatShareOfTraining() {
        List<Sequence> training = Synthetic.normals(200, 11);
        Detector d = fit("iforest", training, "contamination", "0.1");
        long flagged = flagged(d, training);
        // scores tie among duplicated patterns, so the share is at most the contamination
        assertTrue(flagged > 0 && flagged <= 20, "flagged " + flagged);
        assertTrue(d.manifest().training().containsKey("threshold from contamination"));
    }

    @Test
    void oneClassSvmPlacesAnOutlierOutsideTheNormalRegion() {
        Detector d = fit("ocsvm", Synthetic.normals(300, 9), "gamma", "0.5");
        Verdict v = d.score(new Sequence("odd", new int[]{9, 9, 9, 9, 9}, Label.ANOMALOUS));
        assertTrue(v.anomalous(), v.toString());
        assertTrue(v.score() > maxScore(d, Synthetic.normals(100, 10)));
    }

    @Test
    void ngramFlagsAnUnseenTransitionAndAnEarlyEnd() {
        List<Sequence> training = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            training.add(new Sequence("t" + i, new int[]{1, 3, 4, 2}, Label.NORMAL));
        }
        Detector d = fit("ngram", training, "n", "2", "candidates", "1");
        assertFalse(d.score(new Sequence("ok", new int[]{1, 3, 4, 2}, Label.NORMAL)).anomalous());
        Verdict swapped = d.score(new Sequence("swap", new int[]{1, 4, 3, 2}, Label.ANOMALOUS));
        assertTrue(swapped.anomalous());
        assertTrue(swapped.explanation().summary().contains("key 4 at position 1"), swapped.explanation().summary());
        Verdict truncated = d.score(new Sequence("cut", new int[]{1, 3, 4}, Label.ANOMALOUS));
        assertTrue(truncated.anomalous());
        assertTrue(truncated.explanation().summary().contains("the end"), truncated.explanation().summary());
        Detector noEnd = fit("ngram", training, "n", "2", "candidates", "1", "end", "false");
        assertFalse(noEnd.score(new Sequence("cut", new int[]{1, 3, 4}, Label.ANOMALOUS)).anomalous());
    }

    private static Sequence repeat(String id, int key, int times) {
        int[] keys = new int[times];
        java.util.Arrays.fill(keys, key);
        return new Sequence(id, keys, Label.UNKNOWN);
    }

    private static List<Sequence> steady(int n) {
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(repeat("w" + i, 1, 4 + i % 3)); // 4, 5, 6 events per window
        }
        return out;
    }

    @Test
    void zScoreFlagsASpike() {
        Detector d = fit("zscore", steady(90));
        assertFalse(d.score(repeat("usual", 1, 5)).anomalous());
        Verdict spike = d.score(repeat("spike", 1, 20));
        assertTrue(spike.anomalous());
        // std of {4,5,6} is sqrt(2/3): z = 15 / 0.8165
        assertEquals(15 / Math.sqrt(2.0 / 3), spike.score(), 1e-9);
    }

    @Test
    void movingAverageFlagsASpikeAndFollowsTheSeries() {
        Detector d = fit("moving-average", steady(90));
        List<Sequence> series = new ArrayList<>(steady(10));
        series.add(repeat("spike", 1, 20));
        series.addAll(steady(5));
        List<Verdict> verdicts = d.scoreAll(series);
        assertEquals(1, verdicts.stream().filter(Verdict::anomalous).count());
        assertTrue(verdicts.get(10).anomalous());
        assertTrue(d.score(repeat("spike", 1, 20)).anomalous());
    }
}
