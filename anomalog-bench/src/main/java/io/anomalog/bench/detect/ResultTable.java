package io.anomalog.bench.detect;

import java.util.Locale;

/** The plain-text and Markdown tables of a benchmark run. */
public final class ResultTable {

    private ResultTable() {
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String secs(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static boolean projected(BenchmarkResult r) {
        return r.split().projectedNormals() > 0;
    }

    /** Fixed-width table for the terminal. */
    public static String text(BenchmarkResult r) {
        StringBuilder sb = new StringBuilder();
        boolean proj = projected(r);
        sb.append(String.format(Locale.ROOT, "%-15s %9s %9s %9s %9s %9s %8s %8s %7s %7s %7s %7s%s%n", "method",
                "precision", "recall", "F1", "accuracy", "ROC-AUC", "fit s", "pred s", "TP", "FP", "TN", "FN",
                proj ? String.format(Locale.ROOT, " %12s", "projected F1") : ""));
        for (MethodResult m : r.results()) {
            var cm = m.confusion();
            sb.append(String.format(Locale.ROOT, "%-15s %9s %9s %9s %9s %9s %8s %8s %7d %7d %7d %7d%s%n", m.method(),
                    num(cm.precision()), num(cm.recall()), num(cm.f1()), num(cm.accuracy()), num(m.auc()),
                    secs(m.fitSeconds()), secs(m.predictSeconds()), cm.tp(), cm.fp(), cm.tn(), cm.fn(),
                    proj ? String.format(Locale.ROOT, " %12s", num(m.projectedF1())) : ""));
        }
        return sb.toString();
    }

    /** Markdown table. */
    public static String markdown(BenchmarkResult r) {
        boolean proj = projected(r);
        StringBuilder sb = new StringBuilder("| method | kind | precision | recall | F1 | accuracy | ROC-AUC | fit s "
                + "| predict s | TP | FP | TN | FN |" + (proj ? " projected F1 |" : "") + "\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|").append(proj ? "---:|" : "")
                .append('\n');
        for (MethodResult m : r.results()) {
            var cm = m.confusion();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %d | %d |%s%n",
                    m.method(), m.supervised() ? "supervised" : "unsupervised", num(cm.precision()),
                    num(cm.recall()), num(cm.f1()), num(cm.accuracy()), num(m.auc()), secs(m.fitSeconds()),
                    secs(m.predictSeconds()), cm.tp(), cm.fp(), cm.tn(), cm.fn(),
                    proj ? " " + num(m.projectedF1()) + " |" : ""));
        }
        return sb.toString();
    }
}
