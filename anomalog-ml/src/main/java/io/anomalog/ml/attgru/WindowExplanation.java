package io.anomalog.ml.attgru;

import io.anomalog.core.detect.Explanation;

import java.util.List;
import java.util.Locale;

/**
 * Why a window classifier judged a session: the window with the highest anomaly probability, its log keys and
 * template texts, and the attention weight of each event (uniform over the events for variants without
 * attention; 0 for padding).
 *
 * @param window      position of that window in the session (0-based; sliding windows of step 1)
 * @param windows     number of windows the session gave
 * @param keys        raw log keys of the window ({@code -1} for padding or a key the model does not know)
 * @param templates   template text of each key, or null when unknown
 * @param weights     attention weight of each event; they sum to 1
 * @param probability the model's anomaly probability for the window
 */
public record WindowExplanation(int window, int windows, int[] keys, List<String> templates, float[] weights,
                                double probability) implements Explanation {

    @Override
    public String summary() {
        int top = 0;
        for (int t = 1; t < weights.length; t++) {
            if (weights[t] > weights[top]) {
                top = t;
            }
        }
        String text = templates.get(top);
        return String.format(Locale.ROOT, "window %d of %d: p(anomalous) = %.3f; most attended event: key %d%s (weight %.2f)",
                window + 1, windows, probability, keys[top], text == null ? "" : " '" + text + "'", weights[top]);
    }
}
