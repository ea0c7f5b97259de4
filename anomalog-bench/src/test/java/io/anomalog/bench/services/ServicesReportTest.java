package io.anomalog.bench.services;

import io.anomalog.bench.harness.ScoredTest;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServicesReportTest {

    @Test
    void theThresholdAtOnePercentFlagsAtMostOnePercentOfTheNormalWindowsAndRecallCountsPerKind() {
        int n = 200;
        double[] scores = new double[n + 4];
        boolean[] anomalous = new boolean[n + 4];
        List<Sequence> test = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            scores[i] = i + 1;
            test.add(new Sequence("n" + i, new int[0], Label.NORMAL));
        }
        double[] planted = {500, 199.5, 150, 1000};
        String[] kinds = {"error-spike", "error-spike", "silence", "silence"};
        for (int i = 0; i < 4; i++) {
            scores[n + i] = planted[i];
            anomalous[n + i] = true;
            test.add(new Sequence("a" + i, new int[0], Label.ANOMALOUS));
        }
        ScoredTest t = new ScoredTest(scores, anomalous, new boolean[n + 4]);
        double th = ServicesReport.thresholdAtFpr(t, 0.01);
        assertEquals(198, th);
        assertEquals(2, t.where(i -> !t.isAnomalous(i) && t.score(i) > th).fp());
        Map<String, Set<String>> byId = Map.of("a0", Set.of(kinds[0]), "a1", Set.of(kinds[1]), "a2", Set.of(kinds[2]),
                "a3", Set.of(kinds[3]));
        assertEquals(1.0, ServicesReport.recall(t, test, byId, "error-spike", i -> t.score(i) > th));
        assertEquals(0.5, ServicesReport.recall(t, test, byId, "silence", i -> t.score(i) > th));
        assertEquals(Double.NaN, ServicesReport.recall(t, test, byId, "brute-force", i -> true));
    }

    @Test
    void scoresWhoseHighestValueMoreThanOnePercentOfNormalWindowsShareFlagNothingAtTheCutAndAreSaidToDoSo() {
        int n = 100;
        // a tree's pure leaves: 0 or 1, with two normal windows (2 %) at 1
        double[] coarse = new double[n + 1];
        double[] graded = new double[n + 1];
        boolean[] anomalous = new boolean[n + 1];
        for (int i = 0; i < n; i++) {
            coarse[i] = i < 2 ? 1 : 0;
            graded[i] = i / (double) n;
        }
        coarse[n] = 1;
        graded[n] = 5;
        anomalous[n] = true;
        assertTrue(cutFlagsNothing(coarse, anomalous));
        assertTrue(!cutFlagsNothing(graded, anomalous));
        coarse[1] = 0;   // one normal window (1 %) at 1: the cut at 0 flags it and the anomaly
        assertTrue(!cutFlagsNothing(coarse, anomalous));
    }

    @Test
    void recallPerSeriesCountsEachServiceAndHostApartAtTheOnePercentCut() {
        int n = 100;
        double[] scores = new double[n + 3];
        boolean[] anomalous = new boolean[n + 3];
        List<Sequence> test = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            scores[i] = i;
            test.add(new Sequence("db@db-1@" + i, new int[0], Label.NORMAL));
        }
        // the slow database is caught on its own host, its waiting gateway is not
        String[] ids = {"db@db-1@a", "gateway@gateway-1@a", "gateway@gateway-1@b"};
        double[] planted = {500, 10, 600};
        for (int i = 0; i < 3; i++) {
            scores[n + i] = planted[i];
            anomalous[n + i] = true;
            test.add(new Sequence(ids[i], new int[0], Label.ANOMALOUS));
        }
        ScoredTest t = new ScoredTest(scores, anomalous, new boolean[n + 3]);
        Map<String, Set<String>> byId = Map.of(ids[0], Set.of("latency-spike"), ids[1], Set.of("latency-spike"),
                ids[2], Set.of("latency-spike", "silence"));
        StringBuilder s = new StringBuilder();
        ServicesReport.perSeries(s, t, test, byId);
        String md = s.toString();
        assertTrue(md.contains("| db@db-1 | | | 1.000 (1) | | |"), md);
        assertTrue(md.contains("| gateway@gateway-1 | | | 0.500 (2) | | 1.000 (1) |"), md);
    }

    @Test
    void theBestSingleFeatureIsTheColumnThatAloneCatchesMostOfAKindAtTheOnePercentCutARiseOrADrop() {
        java.util.Random rnd = new java.util.Random(1);
        List<Sequence> test = new ArrayList<>();
        java.util.Map<String, Set<String>> kinds = new java.util.HashMap<>();
        for (int i = 0; i < 300; i++) {
            test.add(window("n" + i, Label.NORMAL, rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()));
        }
        // four slow windows: three far above the normal latency deviations, one within them; noise rises in none
        double[] slow = {9, 8, 7, 0};
        for (int i = 0; i < slow.length; i++) {
            test.add(window("s" + i, Label.ANOMALOUS, 0, slow[i], 0));
            kinds.put("s" + i, Set.of("latency-spike"));
        }
        // two silent windows: far fewer entries than normal
        for (int i = 0; i < 2; i++) {
            test.add(window("q" + i, Label.ANOMALOUS, 0, 0, -9));
            kinds.put("q" + i, Set.of("silence"));
        }
        StringBuilder s = new StringBuilder();
        ServicesReport.bestSingleFeature(s, test, kinds);
        String md = s.toString();
        assertTrue(md.contains("| latency-spike | latency_z_mean | 0.750 |"), md);
        assertTrue(md.contains("| silence | -entries | 1.000 |"), md);
        assertTrue(!md.contains("| error-spike |"), "a kind without test windows has no row: " + md);
    }

    private static boolean cutFlagsNothing(double[] scores, boolean[] anomalous) {
        ScoredTest t = new ScoredTest(scores, anomalous, new boolean[scores.length]);
        return ServicesReport.flagsNothingAtTheCut(t, ServicesReport.thresholdAtFpr(t, 0.01));
    }

    private static Sequence window(String id, Label label, double... row) {
        return new Sequence(id, new int[0], label, List.of(),
                io.anomalog.core.features.FeatureRows.of(List.of("noise", "latency_z_mean", "entries"), row));
    }
}
