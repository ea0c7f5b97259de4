package io.anomalog.ml.deeplog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses DeepLog's decision rule from held-out normal sessions, never from labelled anomalies: the smallest g, or
 * the largest probability threshold, that flags at most a target share of the validation sessions. A smaller g (a
 * larger threshold) catches more anomalies, so this is the most sensitive rule whose false-alarm rate on normal
 * data the validation sessions vouch for.
 */
public final class Calibration {

    /** The g values whose validation false-alarm share the manifest records. */
    static final int SWEEP_MAX_G = 9;

    private Calibration() {
    }

    /** Share of sessions the top-g rule flags. */
    public static double flaggedShareAtTopG(List<SessionSurprise> sessions, int g) {
        long n = sessions.stream().filter(s -> s.flaggedAtTopG(g)).count();
        return sessions.isEmpty() ? 0 : (double) n / sessions.size();
    }

    /** Share of sessions the probability rule flags. */
    public static double flaggedShareBelow(List<SessionSurprise> sessions, double threshold) {
        long n = sessions.stream().filter(s -> s.flaggedBelow(threshold)).count();
        return sessions.isEmpty() ? 0 : (double) n / sessions.size();
    }

    /**
     * The smallest g in 1..maxG that flags at most {@code target} of the sessions; maxG when none does (sessions
     * with keys the model can never predict are flagged at every g).
     */
    public static int smallestTopG(List<SessionSurprise> validation, double target, int maxG) {
        for (int g = 1; g < maxG; g++) {
            if (flaggedShareAtTopG(validation, g) <= target) {
                return g;
            }
        }
        return maxG;
    }

    /**
     * The largest threshold t such that "some key had probability below t" flags at most {@code target} of the
     * sessions: with k sessions allowed, t is the (k+1)-th lowest of the sessions' lowest probabilities (sessions
     * that are flagged anyway, for a key the model can never predict, use up the allowance first).
     */
    public static double largestThreshold(List<SessionSurprise> validation, double target) {
        int allowed = (int) Math.floor(target * validation.size() + 1e-9);
        List<Double> lowest = new ArrayList<>();
        int always = 0;
        for (SessionSurprise s : validation) {
            if (s.worstRank() == Integer.MAX_VALUE) {
                always++;
            } else if (s.worstRank() > 0) {
                lowest.add(s.lowestProbability());
            }
        }
        if (lowest.isEmpty()) {
            return Double.MIN_VALUE;
        }
        lowest.sort(null);
        int j = Math.max(0, Math.min(allowed - always, lowest.size() - 1));
        double t = lowest.get(j);
        // 0 would switch the probability rule off, 1 is not a threshold
        return Math.min(Math.max(t, Double.MIN_VALUE), Math.nextDown(1.0));
    }

    /** What the manifest records about the validation sessions and the calibrated rules. */
    static Map<String, Object> summary(List<SessionSurprise> validation, double target, int maxG) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target);
        m.put("validationSessions", validation.size());
        List<Double> byG = new ArrayList<>();
        for (int g = 1; g <= SWEEP_MAX_G; g++) {
            byG.add(flaggedShareAtTopG(validation, g));
        }
        m.put("validationFlaggedShareByTopG", byG);
        int g = smallestTopG(validation, target, maxG);
        m.put("calibratedTopG", g);
        m.put("calibratedTopGValidationShare", flaggedShareAtTopG(validation, g));
        double t = largestThreshold(validation, target);
        m.put("calibratedThreshold", t);
        m.put("calibratedThresholdValidationShare", flaggedShareBelow(validation, t));
        return m;
    }
}
