package io.anomalog.bench.deeplog;

import io.anomalog.bench.harness.ModelProbe;
import io.anomalog.bench.harness.ScoredTest;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Sequence;
import io.anomalog.ml.deeplog.DeepLogDetector;
import io.anomalog.ml.deeplog.DeepLogModels;
import io.anomalog.ml.deeplog.SessionSurprise;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * DeepLog's decision rules on one trained model: its test sessions judged once more for how surprising each is
 * (worst rank and lowest probability of an observed key; the verdict score holds only one of them, so this needs
 * the model), and every rule applied to that: top-g for g = 1..9, a few fixed probability thresholds, and the
 * rules calibrated on the held-out normal validation sessions (read from the model's training summary, so the
 * test labels play no part in choosing them).
 */
public final class DecisionRules implements ModelProbe<List<DecisionRules.Rule>> {

    /** Probability thresholds besides the top-g rules. */
    static final double[] THRESHOLDS = {1e-2, 1e-3, 1e-4, 1e-5, 1e-6};

    /**
     * One rule on the test set.
     *
     * @param name            how the report names it
     * @param validationShare share of the held-out normal training sessions it flags; NaN when not recorded
     * @param matrix          its counts on the test set
     */
    public record Rule(String name, double validationShare, ConfusionMatrix matrix) {
    }

    @Override
    public String name() {
        return "deeplog-decision-rules";
    }

    @Override
    public Optional<List<Rule>> examine(Detector detector, Split split, List<Sequence> test, ScoredTest scored) {
        // the rules are the key model's; with parameter models, the key model alone is examined
        DeepLogDetector deeplog = detector instanceof DeepLogModels both ? both.keyModel()
                : detector instanceof DeepLogDetector keys ? keys : null;
        if (deeplog == null) {
            return Optional.empty();
        }
        List<SessionSurprise> s = deeplog.surprises(test);
        Map<String, Object> cal = calibration(detector.manifest().training());
        List<?> valByG = cal == null ? null : (List<?>) cal.get("validationFlaggedShareByTopG");
        List<Rule> rules = new ArrayList<>();
        for (int g = 1; g <= 9; g++) {
            int gg = g;
            double val = valByG != null && g <= valByG.size() ? ((Number) valByG.get(g - 1)).doubleValue() : Double.NaN;
            rules.add(rule("top-" + g + (g == 9 ? " (paper)" : ""), val, scored, s, x -> x.flaggedAtTopG(gg)));
        }
        for (double t : THRESHOLDS) {
            rules.add(rule(String.format(Locale.ROOT, "p < %.0e", t), Double.NaN, scored, s, x -> x.flaggedBelow(t)));
        }
        if (cal != null) {
            int g = ((Number) cal.get("calibratedTopG")).intValue();
            double t = ((Number) cal.get("calibratedThreshold")).doubleValue();
            String target = DeepLogReport.share(((Number) cal.get("target")).doubleValue());
            rules.add(rule("calibrated top-g (target " + target + "): g = " + g,
                    ((Number) cal.get("calibratedTopGValidationShare")).doubleValue(), scored, s,
                    x -> x.flaggedAtTopG(g)));
            rules.add(rule(String.format(Locale.ROOT, "calibrated p (target %s): p < %.3g", target, t),
                    ((Number) cal.get("calibratedThresholdValidationShare")).doubleValue(), scored, s,
                    x -> x.flaggedBelow(t)));
        }
        return Optional.of(List.copyOf(rules));
    }

    private static Rule rule(String name, double validationShare, ScoredTest scored, List<SessionSurprise> s,
                             Predicate<SessionSurprise> flagged) {
        return new Rule(name, validationShare, scored.where(i -> flagged.test(s.get(i))));
    }

    /** The calibration a DeepLog model recorded in its training summary, or null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> calibration(Map<String, Object> training) {
        return training.get("calibration") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }
}
