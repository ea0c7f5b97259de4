package io.anomalog.cli;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.ml.deeplog.DeepLogDetector;
import io.anomalog.ml.deeplog.SessionSurprise;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The decision-rule table of {@code anomalog bench deeplog}: one trained model, its test sessions scored once
 * (worst rank and lowest probability per session), and every rule applied to those scores: top-g for g = 1..9,
 * a few fixed probability thresholds, and the rules calibrated on the held-out normal validation sessions (read
 * from the model's manifest, so the test labels play no part in choosing them).
 */
final class DeepLogRuleSweep {

    private static final double[] THRESHOLDS = {1e-2, 1e-3, 1e-4, 1e-5, 1e-6};

    private DeepLogRuleSweep() {
    }

    static String table(Path modelDir, Split split) throws IOException {
        try (Detector d = Detectors.load(modelDir)) {
            if (!(d instanceof DeepLogDetector deeplog)) {
                return "";
            }
            List<Sequence> test = split.test();
            List<SessionSurprise> s = deeplog.surprises(test);
            Map<String, Object> cal = castMap(d.manifest().training().get("calibration"));
            List<?> valByG = cal == null ? null : (List<?>) cal.get("validationFlaggedShareByTopG");
            StringBuilder md = new StringBuilder();
            Map<String, Object> m = d.manifest().metrics();
            Map<String, Object> tr = d.manifest().training();
            if (m.containsKey("trainTop1AccuracyCeiling")) {
                md.append(String.format(Locale.ROOT, "Fit (best epoch %s of %s, %s training windows, %s distinct): "
                                + "training loss %.4f (lowest possible %.4f), top-1 accuracy on training windows %.4f "
                                + "(highest possible %.4f), validation loss %s.%n%n",
                        tr.get("bestEpoch"), tr.get("epochsRun"), tr.get("trainingWindows"), tr.get("distinctTrainingWindows"),
                        num(m.get("trainLossOfBestEpoch")), num(m.get("trainLossFloor")), num(m.get("trainTop1Accuracy")),
                        num(m.get("trainTop1AccuracyCeiling")),
                        m.containsKey("validationLoss") ? String.format(Locale.ROOT, "%.4f", num(m.get("validationLoss"))) : "n/a"));
            }
            md.append("Decision rules on the same trained model (test sessions scored once; \"validation\" is the share ")
                    .append("of held-out normal training sessions the rule flags, the only data a calibrated rule may look at")
                    .append(split.projectedNormals() > 0 ? "; projected FP = FPR x " + String.format(Locale.ROOT, "%,d",
                            split.projectedNormals()) : "").append("):\n\n");
            md.append("| rule | validation | TP | FP | TN | FN | precision | recall | F1 | FPR |")
                    .append(split.projectedNormals() > 0 ? " projected FP | projected F1 |" : "").append('\n');
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
                    .append(split.projectedNormals() > 0 ? "---:|---:|" : "").append('\n');
            for (int g = 1; g <= 9; g++) {
                int gg = g;
                String val = valByG != null && g <= valByG.size() ? share(((Number) valByG.get(g - 1)).doubleValue()) : "";
                row(md, "top-" + g + (g == 9 ? " (paper)" : ""), val, test, s, x -> x.flaggedAtTopG(gg), split);
            }
            for (double t : THRESHOLDS) {
                row(md, String.format(Locale.ROOT, "p < %.0e", t), "", test, s, x -> x.flaggedBelow(t), split);
            }
            if (cal != null) {
                int g = ((Number) cal.get("calibratedTopG")).intValue();
                double t = ((Number) cal.get("calibratedThreshold")).doubleValue();
                String target = share(((Number) cal.get("target")).doubleValue());
                row(md, "calibrated top-g (target " + target + "): g = " + g,
                        share(((Number) cal.get("calibratedTopGValidationShare")).doubleValue()), test, s,
                        x -> x.flaggedAtTopG(g), split);
                row(md, String.format(Locale.ROOT, "calibrated p (target %s): p < %.3g", target, t),
                        share(((Number) cal.get("calibratedThresholdValidationShare")).doubleValue()), test, s,
                        x -> x.flaggedBelow(t), split);
                md.append(String.format(Locale.ROOT, "%nCalibration used %s held-out normal sessions (rule of this model: %s).%n",
                        cal.get("validationSessions"), cal.get("ruleUsed")));
            }
            return md.append('\n').toString();
        }
    }

    private static void row(StringBuilder md, String rule, String validation, List<Sequence> test,
                            List<SessionSurprise> s, Predicate<SessionSurprise> flagged, Split split) {
        ConfusionMatrix cm = ConfusionMatrix.empty();
        for (int i = 0; i < test.size(); i++) {
            cm = cm.add(test.get(i).label() == Label.ANOMALOUS, flagged.test(s.get(i)));
        }
        md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d | %.4f | %.4f | %.4f | %.5f |",
                rule, validation, cm.tp(), cm.fp(), cm.tn(), cm.fn(), cm.precision(), cm.recall(), cm.f1(), cm.fpr()));
        if (split.projectedNormals() > 0) {
            double fp = cm.fpr() * split.projectedNormals();
            double precision = cm.tp() / Math.max(1e-9, cm.tp() + fp);
            double f1 = 2 * precision * cm.recall() / Math.max(1e-9, precision + cm.recall());
            md.append(String.format(Locale.ROOT, " %,.0f | %.4f |", fp, f1));
        }
        md.append('\n');
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String share(double v) {
        return String.format(Locale.ROOT, "%.2f%%", v * 100);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }
}
