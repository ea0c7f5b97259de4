package io.anomalog.stream.demo;

import io.anomalog.stream.simulate.GroundTruth;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Precision and recall of the anomalies reported so far against the simulation's labels. Recall counts only
 * anomalous sessions that finished long enough ago to have been closed (their inactivity gap has passed).
 */
public final class LiveScore {

    private final GroundTruth truth;
    private final long settleMillis;
    private final Set<String> reported = new HashSet<>();
    private long truePositives;
    private long falsePositives;
    private long unknown;
    private long duplicates;

    /** @param settleMillis how long after its last line a session must have been reported (gap plus slack) */
    public LiveScore(GroundTruth truth, long settleMillis) {
        this.truth = truth;
        this.settleMillis = settleMillis;
    }

    /** Records one reported anomaly; returns its label (null when the session is not from the simulation). */
    public synchronized Boolean report(String host, String sessionId) {
        return report(host, sessionId, truth.isAnomalous(host, sessionId));
    }

    /** Records one reported anomaly whose label the caller worked out (a window, from its lines). */
    public synchronized Boolean report(String host, String sessionId, Boolean label) {
        if (!reported.add(host + "/" + sessionId)) {
            duplicates++;
        }
        if (label == null) {
            unknown++;
        } else if (label) {
            truePositives++;
        } else {
            falsePositives++;
        }
        return label;
    }

    public synchronized double precision() {
        long p = truePositives + falsePositives;
        return p == 0 ? Double.NaN : (double) truePositives / p;
    }

    /** Recall over anomalous sessions finished at least the settle time ago (all of them when {@code finalTally}). */
    public synchronized double recall(boolean finalTally) {
        long due = finalTally ? truth.completedAnomalous()
                : truth.anomalousCompletedBefore(System.currentTimeMillis() - settleMillis);
        return due == 0 ? Double.NaN : Math.min(1.0, (double) truePositives / due);
    }

    public synchronized long truePositives() {
        return truePositives;
    }

    public synchronized long falsePositives() {
        return falsePositives;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long unknown() {
        return unknown;
    }

    public synchronized String line(boolean finalTally) {
        double p = precision();
        double r = recall(finalTally);
        double f1 = Double.isNaN(p) || Double.isNaN(r) || p + r == 0 ? Double.NaN : 2 * p * r / (p + r);
        return String.format(Locale.ROOT, "precision %s  recall %s  F1 %s  (TP %d, FP %d)", pct(p), pct(r), pct(f1),
                truePositives, falsePositives);
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "  -  " : String.format(Locale.ROOT, "%5.1f%%", 100 * v);
    }
}
