package io.anomalog.bench.report;

import io.anomalog.bench.attgru.AttGruReport;
import io.anomalog.bench.deeplog.DeepLogReport;
import io.anomalog.bench.detect.ResultTable;
import io.anomalog.bench.harness.Harness;
import io.anomalog.bench.harness.HarnessResult;
import io.anomalog.bench.harness.MethodResult;
import io.anomalog.bench.harness.ToyProtocol;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every report is a view of the same harness result: for one run they all show the same figures. */
class ViewsAgreeTest {

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    @Test
    void everyViewShowsTheFiguresOfTheSameRun() throws Exception {
        HarnessResult r = Harness.on(new ToyProtocol(true, 0)).seed(8).methods(List.of("pca", "tree", "iforest"))
                .probes(AttGruReport.probes("toy")).run();
        String table = ResultTable.text(r);
        for (MethodResult m : r.results()) {
            var cm = m.confusion();
            String p = f(cm.precision());
            String rec = f(cm.recall());
            String f1 = f(cm.f1());
            String figures = Figures.text(m);
            assertTrue(figures.contains(String.format(Locale.ROOT, "TP %,d  FP %,d  TN %,d  FN %,d", cm.tp(), cm.fp(),
                    cm.tn(), cm.fn())), figures);
            assertTrue(figures.contains("precision " + p + "  recall " + rec + "  F1 " + f1), figures);
            assertTrue(figures.contains("ROC AUC " + f(m.auc())), figures);
            assertTrue(table.matches("(?s).*" + m.method() + " +" + p + " +" + rec + " +" + f1 + " .*"), table);
            String deeplog = DeepLogReport.headlineRow("toy", m);
            assertTrue(deeplog.startsWith(String.format(Locale.ROOT, "| toy | %,d | %,d | %,d | %,d | %s | %s | %s |",
                    cm.tp(), cm.fp(), cm.tn(), cm.fn(), p, rec, f1)), deeplog);
            assertTrue(deeplog.contains("| " + f(m.auc()) + " |"), deeplog);
            String attgru = AttGruReport.row(m, false);
            assertTrue(attgru.startsWith(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %d | %d |", m.method(),
                    p, rec, f1, cm.tp(), cm.fp(), cm.fn())), attgru);
        }
        String markdown = ResultTable.markdown(r);
        for (MethodResult m : r.results()) {
            assertTrue(markdown.contains("| " + m.method() + " | unsupervised | " + f(m.confusion().precision()) + " | "
                    + f(m.confusion().recall()) + " | " + f(m.confusion().f1()) + " |")
                    || markdown.contains("| " + m.method() + " | supervised | " + f(m.confusion().precision()) + " | "
                    + f(m.confusion().recall()) + " | " + f(m.confusion().f1()) + " |"), markdown);
        }
    }
}
