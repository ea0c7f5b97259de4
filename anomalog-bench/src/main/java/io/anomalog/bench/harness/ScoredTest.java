package io.anomalog.bench.harness;

import io.anomalog.core.detect.Verdict;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.RocCurve;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A method's judgement of a labelled test set, kept whole so that every figure comes from one scoring pass: for
 * each test sequence its score, whether it is anomalous, and whether the method flagged it. The method's own
 * confusion matrix, any threshold on the scores and any other rule over the test positions are counted here, on
 * these arrays, without scoring again.
 */
public final class ScoredTest {

    private final double[] scores;
    private final boolean[] anomalous;
    private final boolean[] flagged;

    /**
     * @param scores    anomaly scores, higher = more anomalous; NaN when the method gives none
     * @param anomalous ground truth
     * @param flagged   the method's own decisions
     */
    public ScoredTest(double[] scores, boolean[] anomalous, boolean[] flagged) {
        if (scores.length != anomalous.length || flagged.length != anomalous.length) {
            throw new IllegalArgumentException(scores.length + " scores and " + flagged.length + " decisions for "
                    + anomalous.length + " labels");
        }
        this.scores = scores.clone();
        this.anomalous = anomalous.clone();
        this.flagged = flagged.clone();
    }

    /**
     * Pairs verdicts with the sequences they judge (same order); sequences without a label are left out, as
     * they cannot be right or wrong.
     */
    public static ScoredTest of(List<Sequence> sequences, List<Verdict> verdicts) {
        if (sequences.size() != verdicts.size()) {
            throw new IllegalArgumentException(verdicts.size() + " verdicts for " + sequences.size() + " sequences");
        }
        List<Integer> labelled = new ArrayList<>(sequences.size());
        for (int i = 0; i < sequences.size(); i++) {
            if (sequences.get(i).label().isKnown()) {
                labelled.add(i);
            }
        }
        double[] s = new double[labelled.size()];
        boolean[] a = new boolean[labelled.size()];
        boolean[] f = new boolean[labelled.size()];
        for (int j = 0; j < s.length; j++) {
            int i = labelled.get(j);
            s[j] = verdicts.get(i).score();
            a[j] = sequences.get(i).label() == Label.ANOMALOUS;
            f[j] = verdicts.get(i).anomalous();
        }
        return new ScoredTest(s, a, f);
    }

    public int size() {
        return anomalous.length;
    }

    public double[] scores() {
        return scores.clone();
    }

    public boolean[] anomalous() {
        return anomalous.clone();
    }

    /** The method's own decision on a test sequence. */
    public boolean flagged(int position) {
        return flagged[position];
    }

    public boolean isAnomalous(int position) {
        return anomalous[position];
    }

    public double score(int position) {
        return scores[position];
    }

    /** Whether every sequence has a score (a method without scores has no ROC curve and no threshold sweep). */
    public boolean hasScores() {
        for (double s : scores) {
            if (Double.isNaN(s)) {
                return false;
            }
        }
        return true;
    }

    /** Counts the rule that flags the test positions {@code flagged} accepts against the truth. */
    public ConfusionMatrix where(IntPredicate flagged) {
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < anomalous.length; i++) {
            boolean f = flagged.test(i);
            if (anomalous[i]) {
                if (f) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (f) {
                fp++;
            } else {
                tn++;
            }
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /** The method's own decisions, at its own threshold. */
    public ConfusionMatrix confusion() {
        return where(i -> flagged[i]);
    }

    /** The rule "anomalous when score >= threshold" on the same scores. */
    public ConfusionMatrix at(double threshold) {
        return where(i -> scores[i] >= threshold);
    }

    /** ROC and precision-recall curve of the scores, or null when some sequence has no score. */
    public RocCurve roc() {
        return hasScores() ? RocCurve.of(scores, anomalous) : null;
    }
}
