package io.anomalog.bench.report;

import io.anomalog.bench.harness.MethodResult;
import io.anomalog.bench.harness.Projection;

import java.util.Locale;

/** The figures of one result as lines of text, as {@code anomalog evaluate} prints them. */
public final class Figures {

    private Figures() {
    }

    public static String text(MethodResult m) {
        var cm = m.confusion();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "TP %,d  FP %,d  TN %,d  FN %,d%n", cm.tp(), cm.fp(), cm.tn(), cm.fn()));
        sb.append(String.format(Locale.ROOT, "precision %.4f  recall %.4f  F1 %.4f  accuracy %.4f  FPR %.5f%n",
                cm.precision(), cm.recall(), cm.f1(), cm.accuracy(), cm.fpr()));
        if (!Double.isNaN(m.auc())) {
            sb.append(String.format(Locale.ROOT, "ROC AUC %.4f%n", m.auc()));
        }
        Projection p = m.projection();
        if (p != null) {
            sb.append(String.format(Locale.ROOT, "projected to %,d normal sessions: FP %,.0f  precision %.4f  F1 %.4f%n",
                    p.normals(), p.fp(), p.precision(), p.f1()));
        }
        return sb.toString();
    }
}
