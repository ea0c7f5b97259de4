package io.anomalog.bench.report;

import io.anomalog.bench.attgru.AttGruReport;
import io.anomalog.bench.deeplog.DeepLogReport;
import io.anomalog.bench.detect.ResultTable;
import io.anomalog.bench.harness.Harness;
import io.anomalog.bench.harness.HarnessResult;
import io.anomalog.bench.harness.MethodResult;
import io.anomalog.bench.harness.ToyProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEveryViewShows(r);
    }

    /** Small networks, so that the five window classifiers train in seconds on the constructed sessions. */
    static Map<String, Map<String, String>> smallWindowClassifiers() {
        Map<String, Map<String, String>> params = new LinkedHashMap<>();
        for (String m : AttGruReport.WINDOW_CLASSIFIERS) {
            Map<String, String> p = new LinkedHashMap<>(Map.of("hidden", "8", "dense", "8", "epochs", "4",
                    "patience", "2", "lr", "0.01"));
            if (!m.equals("lstm-classifier")) {
                p.put("dimension", "8");
            }
            if (m.startsWith("att")) {
                p.put("attention", "8");
            }
            params.put(m, p);
        }
        return params;
    }

    /**
     * The supervised window classifiers (ATT-GRU, its ablations and the one-hot classifier): every view of a run
     * shows each of them with the same figures, and training one again with the same split and model seed, as
     * {@code evaluate --protocol ... --save-model} does, and scoring the saved model, as {@code evaluate -m} does,
     * give those figures again.
     */
    @Test
    void everySupervisedWindowClassifierShowsTheSameFiguresInEveryViewAndAgainForTheSameSeed(@TempDir Path dir)
            throws Exception {
        Map<String, Map<String, String>> params = smallWindowClassifiers();
        HarnessResult r = Harness.on(new ToyProtocol(true, 0)).seed(8).methods(AttGruReport.WINDOW_CLASSIFIERS)
                .params(params).probes(AttGruReport.probes("toy")).run();
        assertEquals(AttGruReport.WINDOW_CLASSIFIERS, r.results().stream().map(MethodResult::method).toList());
        assertEveryViewShows(r);
        for (MethodResult m : r.results()) {
            assertTrue(m.supervised(), m.method());
            Path saved = dir.resolve(m.method());
            MethodResult again = Harness.on(new ToyProtocol(true, 0)).seed(8).methods(List.of(m.method()))
                    .params(Map.of(m.method(), params.get(m.method()))).saveModel(saved).run().results().get(0);
            assertSameFigures(m, again, "trained again");
            MethodResult reloaded = Harness.on(new ToyProtocol(true, 0)).seed(8).model(saved).run().results().get(0);
            assertSameFigures(m, reloaded, "saved model scored");
        }
    }

    private static void assertSameFigures(MethodResult expected, MethodResult actual, String how) {
        var e = expected.confusion();
        var a = actual.confusion();
        String what = expected.method() + ", " + how;
        assertEquals(expected.method(), actual.method(), what);
        assertEquals(List.of(e.tp(), e.fp(), e.tn(), e.fn()), List.of(a.tp(), a.fp(), a.tn(), a.fn()), what);
        assertEquals(expected.auc(), actual.auc(), 1e-12, what);
        for (int i = 0; i < expected.test().size(); i++) {
            assertEquals(expected.test().scores()[i], actual.test().scores()[i], 1e-9, what + ": score " + i);
        }
    }

    private static void assertEveryViewShows(HarnessResult r) {
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
            assertTrue(table.matches("(?s)(.*\\n)?" + Pattern.quote(m.method()) + " +" + p + " +" + rec + " +" + f1
                    + " .*"), table);
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
            assertTrue(markdown.contains("| " + m.method() + " | " + (m.supervised() ? "supervised" : "unsupervised")
                    + " | " + f(m.confusion().precision()) + " | " + f(m.confusion().recall()) + " | "
                    + f(m.confusion().f1()) + " |"), markdown);
        }
    }
}
