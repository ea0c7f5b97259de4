package io.anomalog.core.eval;

import io.anomalog.core.detect.Verdict;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;

import java.util.List;

/**
 * Figures of one detector on labelled sequences: the confusion matrix, ROC AUC when the detector gives scores,
 * and, when a protocol names the normal count of an original study, the figures projected to it.
 *
 * @param matrix           counts at the detector's threshold
 * @param auc              ROC AUC of the scores; NaN without scores or with one class only
 * @param projectedNormals normal sequences of the original test mix, 0 when none
 * @param projectedFp      false positives expected on that mix: measured FPR x projectedNormals
 * @param projectedPrecision precision with projectedFp instead of the measured FP
 * @param projectedF1      F1 with projectedPrecision and the measured recall
 */
public record Evaluation(ConfusionMatrix matrix, double auc, long projectedNormals, double projectedFp,
                         double projectedPrecision, double projectedF1) {

    /** Judges verdicts (in the order of the sequences) against the sequences' labels; unlabelled ones are skipped. */
    public static Evaluation of(List<Sequence> sequences, List<Verdict> verdicts, long projectedNormals) {
        if (sequences.size() != verdicts.size()) {
            throw new IllegalArgumentException(verdicts.size() + " verdicts for " + sequences.size() + " sequences");
        }
        long tp = 0, fp = 0, tn = 0, fn = 0;
        int labelled = 0;
        boolean scored = true;
        for (int i = 0; i < sequences.size(); i++) {
            if (sequences.get(i).label().isKnown()) {
                labelled++;
                scored &= !Double.isNaN(verdicts.get(i).score());
            }
        }
        double[] scores = new double[labelled];
        boolean[] truth = new boolean[labelled];
        int j = 0;
        for (int i = 0; i < sequences.size(); i++) {
            Label label = sequences.get(i).label();
            if (!label.isKnown()) {
                continue;
            }
            boolean actual = label == Label.ANOMALOUS;
            boolean predicted = verdicts.get(i).anomalous();
            if (actual) {
                if (predicted) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predicted) {
                fp++;
            } else {
                tn++;
            }
            truth[j] = actual;
            scores[j] = scored ? verdicts.get(i).score() : 0;
            j++;
        }
        ConfusionMatrix cm = new ConfusionMatrix(tp, fp, tn, fn);
        double auc = scored && labelled > 0 ? RocCurve.of(scores, truth).auc() : Double.NaN;
        double pfp = projectedNormals > 0 ? cm.fpr() * projectedNormals : Double.NaN;
        double pp = projectedNormals > 0 ? (tp + pfp == 0 ? 0 : tp / (tp + pfp)) : Double.NaN;
        double r = cm.recall();
        double pf1 = projectedNormals > 0 ? (pp + r == 0 ? 0 : 2 * pp * r / (pp + r)) : Double.NaN;
        return new Evaluation(cm, auc, projectedNormals, pfp, pp, pf1);
    }
}
