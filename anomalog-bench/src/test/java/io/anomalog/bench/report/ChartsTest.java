package io.anomalog.bench.report;

import io.anomalog.bench.harness.MethodResult;
import io.anomalog.bench.harness.ScoredTest;
import io.anomalog.bench.harness.TestResults;
import io.anomalog.core.eval.RocCurve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartsTest {

    /** Scores where anomalies rank high, with {@code normals} normal and a tenth as many anomalous sequences. */
    private static MethodResult scored(String method, int normals, long seed) {
        Random r = new Random(seed);
        int n = normals + normals / 10;
        double[] scores = new double[n];
        boolean[] truth = new boolean[n];
        boolean[] flagged = new boolean[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i >= normals;
            scores[i] = (truth[i] ? 1.5 : 0) + r.nextGaussian();
            flagged[i] = scores[i] > 1;
        }
        return TestResults.of(method, new ScoredTest(scores, truth, flagged));
    }

    @Test
    void curvesAndScoreDistributionsAreWrittenAndTheMarkdownNamesThemRelativeToTheReport(@TempDir Path dir)
            throws Exception {
        List<MethodResult> results = List.of(scored("a", 400, 1), scored("b", 400, 2),
                TestResults.of("unscored", new ScoredTest(new double[]{Double.NaN, Double.NaN},
                        new boolean[]{true, false}, new boolean[]{true, false})));
        Path charts = dir.resolve("report/hdfs");
        Charts.write(charts, "toy", results, false);
        String md = Charts.markdown("report/hdfs", results);
        for (String png : List.of(Charts.ROC, Charts.ROC_LOG_FPR, Charts.PRECISION_RECALL, Charts.scores("a"),
                Charts.scores("b"))) {
            assertTrue(Files.size(charts.resolve(png)) > 1000, png);
            assertTrue(md.contains("(report/hdfs/" + png + ")"), md);
        }
        assertFalse(Files.exists(charts.resolve(Charts.scores("unscored"))));
        assertFalse(Files.exists(charts.resolve(Charts.confusion("a"))));
        assertEquals("", Charts.markdown("x", results.subList(2, 3)));
    }

    @Test
    void theLogAxisStartsAtHalfAFalsePositiveAndKeepsMorePointsBelowOnePercentThanTheLinearAxis() {
        MethodResult m = scored("a", 20_000, 3);
        XYChart log = Charts.rocLogFpr("toy", List.of(m));
        double floor = 0.5 / 20_000;
        assertEquals(floor, log.getStyler().getXAxisMin(), 1e-15);
        assertTrue(log.getStyler().isXAxisLogarithmic());
        double[] x = log.getSeriesMap().values().iterator().next().getXData();
        assertTrue(java.util.Arrays.stream(x).allMatch(v -> v >= floor));
        long below1Percent = java.util.Arrays.stream(x).filter(v -> v < 0.01).count();
        double[] linear = Charts.roc("toy", List.of(m)).getSeriesMap().values().iterator().next().getXData();
        long linearBelow1Percent = java.util.Arrays.stream(linear).filter(v -> v < 0.01).count();
        assertTrue(below1Percent > linearBelow1Percent, below1Percent + " vs " + linearBelow1Percent);
    }

    @Test
    void thinningKeepsTheEndsAndDropsOnlyPointsThePlotCannotTellApart() {
        List<RocCurve.Point> pts = new ArrayList<>();
        for (int i = 0; i <= 100_000; i++) {
            pts.add(new RocCurve.Point(-i, i / 100_000.0, i / 100_000.0, 1));
        }
        List<RocCurve.Point> thin = Charts.thin(pts, RocCurve.Point::fpr, RocCurve.Point::tpr);
        assertEquals(pts.get(0), thin.get(0));
        assertEquals(pts.get(pts.size() - 1), thin.get(thin.size() - 1));
        assertTrue(thin.size() < 1000 && thin.size() > 300, "kept " + thin.size());
        // a step of the curve survives however close its neighbours are
        List<RocCurve.Point> step = List.of(new RocCurve.Point(3, 0, 0, 1), new RocCurve.Point(2, 0, 0.9, 1),
                new RocCurve.Point(1, 0.0001, 0.9, 1), new RocCurve.Point(0, 1, 1, 0.5));
        assertEquals(3, Charts.thin(step, RocCurve.Point::fpr, RocCurve.Point::tpr).size());
    }
}
