package io.anomalog.bench.report;

import io.anomalog.bench.harness.MethodResult;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.RocCurve;
import io.anomalog.core.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The PNG charts of every benchmark report, made with XChart from harness results: ROC curves on a linear and on
 * a logarithmic false-positive-rate axis (methods that differ only below 1 % FPR, as DeepLog's HDFS figures do,
 * look alike on the linear one), precision-recall curves, per method the score distribution of normal and
 * anomalous test sequences, and optionally its confusion matrix. Every report writes the same file names into
 * its chart folder.
 */
public final class Charts {

    public static final String ROC = "roc.png";
    public static final String ROC_LOG_FPR = "roc-log-fpr.png";
    public static final String PRECISION_RECALL = "pr.png";

    /** Plot resolution of the curves: points closer than this share of the plot are drawn as one. */
    private static final double CURVE_RESOLUTION = 1.0 / 600;

    private Charts() {
    }

    /**
     * The chart folder of a report that is one Markdown file: beside it, named like it without {@code .md}
     * ({@code docs/results/deeplog.md} -> {@code deeplog}), so the report links its charts by a relative path.
     */
    public static String folderBeside(Path report) {
        return report.getFileName().toString().replaceFirst("\\.md$", "");
    }

    public static String scores(String method) {
        return "scores-" + method + ".png";
    }

    public static String confusion(String method) {
        return "confusion-" + method + ".png";
    }

    private static List<MethodResult> withScores(List<MethodResult> results) {
        return results.stream().filter(m -> m.roc() != null).toList();
    }

    /**
     * Writes the curves (when some method has scores) and each scored method's score distribution into
     * {@code dir}, and with {@code confusionMatrices} each method's confusion matrix.
     */
    public static void write(Path dir, String title, List<MethodResult> results, boolean confusionMatrices)
            throws IOException {
        Files.createDirectories(dir);
        System.setProperty("java.awt.headless", "true");
        if (!withScores(results).isEmpty()) {
            save(roc(title, results), dir, ROC);
            save(rocLogFpr(title, results), dir, ROC_LOG_FPR);
            save(precisionRecall(title, results), dir, PRECISION_RECALL);
        }
        for (MethodResult m : results) {
            if (m.roc() != null) {
                save(scoreDistribution(m), dir, scores(m.method()));
            }
            if (confusionMatrices) {
                save(confusionMatrix(m), dir, confusion(m.method()));
            }
        }
    }

    /**
     * Markdown that shows the curves and score distributions {@link #write} made, for a report in the folder
     * above: {@code folder} is the chart folder relative to the report. Empty when no method has scores.
     */
    public static String markdown(String folder, List<MethodResult> results) {
        List<MethodResult> scored = withScores(results);
        if (scored.isEmpty()) {
            return "";
        }
        String f = folder.isEmpty() || folder.endsWith("/") ? folder : folder + "/";
        StringBuilder sb = new StringBuilder();
        sb.append("![ROC curves](").append(f).append(ROC).append(") ![ROC curves, logarithmic false-positive rate](")
                .append(f).append(ROC_LOG_FPR).append(") ![precision-recall curves](").append(f)
                .append(PRECISION_RECALL).append(")\n\n");
        for (MethodResult m : scored) {
            sb.append("![score distribution of ").append(m.method()).append("](").append(f).append(scores(m.method()))
                    .append(") ");
        }
        return sb.append("\n\n").toString();
    }

    private static void save(Chart<?, ?> chart, Path dir, String name) throws IOException {
        AtomicFiles.write(dir.resolve(name), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * The points of a curve that a plot can tell apart: a point is kept when it lies at least
     * {@link #CURVE_RESOLUTION} of the plot away from the last one kept (first and last always kept), so steps
     * where the curve turns survive however many points it has.
     */
    static List<RocCurve.Point> thin(List<RocCurve.Point> pts, ToDoubleFunction<RocCurve.Point> x,
                                     ToDoubleFunction<RocCurve.Point> y) {
        List<RocCurve.Point> out = new ArrayList<>();
        RocCurve.Point last = null;
        for (int i = 0; i < pts.size(); i++) {
            RocCurve.Point p = pts.get(i);
            if (last == null || i == pts.size() - 1
                    || Math.hypot(x.applyAsDouble(p) - x.applyAsDouble(last), y.applyAsDouble(p) - y.applyAsDouble(last))
                    >= CURVE_RESOLUTION) {
                out.add(p);
                last = p;
            }
        }
        return out;
    }

    static XYChart roc(String title, List<MethodResult> results) {
        XYChart c = curves(700, "ROC: " + title, "false-positive rate", "true-positive rate");
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0);
        for (MethodResult m : withScores(results)) {
            addCurve(c, rocLabel(m), m.roc().points(), RocCurve.Point::fpr, RocCurve.Point::tpr, RocCurve.Point::fpr);
        }
        return c;
    }

    /**
     * ROC with the false-positive rate on a log axis. A rate of 0 has no place on it and is drawn at half of one
     * false positive of the test set (the axis starts there).
     */
    static XYChart rocLogFpr(String title, List<MethodResult> results) {
        List<MethodResult> scored = withScores(results);
        long negatives = scored.stream().mapToLong(m -> m.roc().negatives()).max().orElse(1);
        double floor = 0.5 / Math.max(1, negatives);
        double decades = -Math.log10(floor);
        XYChart c = curves(880, "ROC, log false-positive rate: " + title,
                String.format(Locale.ROOT, "false-positive rate (log; 0 drawn at %.1g)", floor), "true-positive rate");
        c.getStyler().setXAxisLogarithmic(true).setXAxisMin(floor).setXAxisMax(1.0);
        // the curves crowd the upper left on this axis, where an inside legend would hide them
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        ToDoubleFunction<RocCurve.Point> onAxis = p -> Math.max(p.fpr(), floor);
        for (MethodResult m : scored) {
            addCurve(c, rocLabel(m), m.roc().points(), onAxis, RocCurve.Point::tpr,
                    p -> (Math.log10(onAxis.applyAsDouble(p)) + decades) / decades);
        }
        return c;
    }

    static XYChart precisionRecall(String title, List<MethodResult> results) {
        XYChart c = curves(700, "Precision-recall: " + title, "recall", "precision");
        c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0);
        for (MethodResult m : withScores(results)) {
            // the first point (nothing flagged) has no precision of its own
            addCurve(c, m.method(), m.roc().points().subList(1, m.roc().points().size()), RocCurve.Point::tpr,
                    RocCurve.Point::precision, RocCurve.Point::tpr);
        }
        return c;
    }

    private static String rocLabel(MethodResult m) {
        return String.format(Locale.ROOT, "%s (AUC %.3f)", m.method(), m.auc());
    }

    private static XYChart curves(int width, String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(width).height(520).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendFont(c.getStyler().getLegendFont().deriveFont(10f));
        return c;
    }

    /**
     * One curve: {@code x} and {@code y} are what is drawn, {@code plotX} where x lies across the plot (0 to 1),
     * which decides which points the plot can tell apart.
     */
    private static void addCurve(XYChart c, String label, List<RocCurve.Point> points, ToDoubleFunction<RocCurve.Point> x,
                                 ToDoubleFunction<RocCurve.Point> y, ToDoubleFunction<RocCurve.Point> plotX) {
        List<RocCurve.Point> pts = thin(points, plotX, y);
        c.addSeries(label, pts.stream().mapToDouble(x).toArray(), pts.stream().mapToDouble(y).toArray())
                .setMarker(SeriesMarkers.NONE);
    }

    /**
     * Histogram of the scores of normal and of anomalous test sequences, each as a share of its class, over the
     * 0.5-99.5 % range of all scores (outliers fall into the edge bins). Heavy-tailed non-negative scores (SPE,
     * residuals) are binned on log10(1 + score) so both classes stay visible.
     */
    static CategoryChart scoreDistribution(MethodResult m) {
        double[] scores = m.test().scores();
        boolean[] truth = m.test().anomalous();
        // infinite scores (e.g. a key a model never saw) fall into the edge bins, not into the range
        double[] sorted = Arrays.stream(scores).filter(Double::isFinite).sorted().toArray();
        if (sorted.length == 0) {
            sorted = new double[]{0};
        }
        double lo = sorted[(int) Math.floor(0.005 * (sorted.length - 1))];
        double hi = sorted[(int) Math.ceil(0.995 * (sorted.length - 1))];
        double median = sorted[sorted.length / 2];
        boolean log = sorted[0] >= 0 && hi > 50 * Math.max(median, 1e-9) && hi > 10;
        DoubleUnaryOperator t = log ? v -> Math.log10(1 + Math.max(0, v)) : v -> v;
        lo = t.applyAsDouble(lo);
        hi = t.applyAsDouble(hi);
        if (hi <= lo) {
            hi = lo + 1;
        }
        int bins = 20;
        double[] normal = new double[bins];
        double[] anomalous = new double[bins];
        long nn = 0;
        long na = 0;
        for (int i = 0; i < scores.length; i++) {
            double pos = (t.applyAsDouble(scores[i]) - lo) / (hi - lo) * bins;
            int b = pos >= bins ? bins - 1 : pos < 0 ? 0 : (int) pos;
            if (truth[i]) {
                anomalous[b]++;
                na++;
            } else {
                normal[b]++;
                nn++;
            }
        }
        List<String> labels = new ArrayList<>();
        List<Double> nv = new ArrayList<>();
        List<Double> av = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            labels.add(String.format(Locale.ROOT, "%.3g", lo + (b + 0.5) * (hi - lo) / bins));
            nv.add(nn == 0 ? 0 : normal[b] / nn);
            av.add(na == 0 ? 0 : anomalous[b] / na);
        }
        CategoryChart c = new CategoryChartBuilder().width(560).height(360)
                .title("Scores of " + m.method()).xAxisTitle(log ? "log10(1 + score)" : "score")
                .yAxisTitle("share of class").build();
        c.getStyler().setOverlapped(true);
        c.getStyler().setXAxisLabelRotation(60);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setSeriesColors(new Color[]{new Color(60, 120, 200, 160), new Color(220, 60, 40, 160)});
        c.addSeries("normal (" + nn + ")", labels, nv);
        c.addSeries("anomalous (" + na + ")", labels, av);
        return c;
    }

    static HeatMapChart confusionMatrix(MethodResult m) {
        ConfusionMatrix cm = m.confusion();
        HeatMapChart c = new HeatMapChartBuilder().width(380).height(320).title("Confusion matrix of " + m.method())
                .xAxisTitle("predicted").yAxisTitle("actual").build();
        c.getStyler().setShowValue(true);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setRangeColors(new Color[]{new Color(240, 245, 255), new Color(70, 110, 190)});
        List<Number[]> cells = new ArrayList<>();
        cells.add(new Number[]{0, 0, cm.tn()});
        cells.add(new Number[]{1, 0, cm.fp()});
        cells.add(new Number[]{0, 1, cm.fn()});
        cells.add(new Number[]{1, 1, cm.tp()});
        c.addSeries("counts", List.of("normal", "anomalous"), List.of("normal", "anomalous"), cells);
        return c;
    }
}
