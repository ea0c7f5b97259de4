package io.anomalog.bench.detect;

import io.anomalog.bench.harness.HarnessResult;
import io.anomalog.bench.harness.MethodResult;
import io.anomalog.bench.harness.SeedSpread;

import java.util.List;
import java.util.Locale;

/** The plain-text and Markdown tables of {@code anomalog bench detect}. */
public final class ResultTable {

    private ResultTable() {
    }

    static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String secs(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static boolean projected(HarnessResult r) {
        return r.split().projectedNormals() > 0;
    }

    /** Fixed-width table for the terminal. */
    public static String text(HarnessResult r) {
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
    public static String markdown(HarnessResult r) {
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

    /** Mean ± standard deviation per method over runs with other split seeds, for the terminal. */
    public static String spreadText(List<HarnessResult> runs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-15s %5s %17s %17s %17s %17s%n",
                "method", "runs", "precision", "recall", "F1", "ROC-AUC"));
        for (SeedSpread s : SeedSpread.overSplits(runs)) {
            sb.append(String.format(Locale.ROOT, "%-15s %5d %17s %17s %17s %17s%n", s.method(), s.runs(),
                    s.precision().meanSd(), s.recall().meanSd(), s.f1().meanSd(), s.auc().meanSd()));
        }
        return sb.toString();
    }

    /** The same as a Markdown table. */
    public static String spreadMarkdown(List<HarnessResult> runs) {
        StringBuilder sb = new StringBuilder("| method | runs | precision | recall | F1 | ROC-AUC |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (SeedSpread s : SeedSpread.overSplits(runs)) {
            sb.append("| ").append(s.method()).append(" | ").append(s.runs()).append(" | ")
                    .append(s.precision().meanSd()).append(" | ").append(s.recall().meanSd()).append(" | ")
                    .append(s.f1().meanSd()).append(" | ").append(s.auc().meanSd()).append(" |\n");
        }
        return sb.toString();
    }
}
