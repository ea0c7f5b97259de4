package io.anomalog.ml.deeplog;

import io.anomalog.core.detect.Params;
import io.anomalog.core.util.AnomalogException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of the DeepLog log-key model. Defaults follow the paper and its public reference
 * implementation (history 10, top 9 candidates, 2 LSTM layers of 64 units, Adam, up to 300 epochs), except that
 * keys enter as one-hot vectors (as in the paper) instead of the reference's single scalar input, and training
 * watches the loss on held-out sessions: at each plateau (no gain for {@code patience} epochs) the learning rate is
 * cut tenfold, up to {@code lrDrops} times, and the next plateau ends training with the best epoch's parameters.
 *
 * @param history    h: how many preceding keys predict the next one
 * @param topG       g: an event is normal when its key is among the g most probable next keys
 * @param hidden     LSTM state size
 * @param layers     stacked LSTM layers
 * @param embedding  key embedding size; 0 feeds one-hot vectors straight into the LSTM
 * @param epochs     maximum training epochs
 * @param batch      training windows per batch
 * @param lr         Adam learning rate
 * @param seed       seed of weight initialisation, shuffling and the validation split
 * @param validation share of training sessions held out for early stopping (0 = none; default 5%)
 * @param patience   epochs without a better validation loss before the learning rate is cut (or, after
 *                   {@code lrDrops} cuts, training stops)
 * @param threads    PyTorch intra-op threads while training (scoring always uses 1)
 * @param autoTopG   choose g after training: the smallest g that flags at most {@code target} of the held-out
 *                   normal validation sessions ({@code topG=auto})
 * @param threshold  probability rule: an event is anomalous when the model gave its key a probability below this
 *                   (0 = off, the top-g rule decides)
 * @param autoThreshold choose the threshold after training: the largest that flags at most {@code target} of the
 *                   validation sessions ({@code threshold=auto})
 * @param target     share of held-out normal validation sessions a calibrated rule may flag
 * @param maxWindows cap on training windows (0 = all): sessions are taken in the seeded shuffled order until the
 *                   next one would pass the cap, so the same seed gives the same sample
 * @param lrDrops    how often the learning rate is cut when the validation loss stops improving, before training
 *                   stops (0 = stop at the first plateau)
 * @param lrDecay    factor applied to the learning rate at each cut
 */
public record DeepLogConfig(int history, int topG, int hidden, int layers, int embedding, int epochs, int batch,
                            double lr, long seed, double validation, int patience, int threads, boolean autoTopG,
                            double threshold, boolean autoThreshold, double target, long maxWindows,
                            int lrDrops, double lrDecay) {

    /** Value of {@code topG} / {@code threshold} that asks for calibration on the validation sessions. */
    public static final String AUTO = "auto";

    public DeepLogConfig {
        require(history >= 1, "history must be >= 1");
        require(topG >= 1, "topG must be >= 1");
        require(hidden >= 1, "hidden must be >= 1");
        require(layers >= 1, "layers must be >= 1");
        require(embedding >= 0, "embedding must be >= 0 (0 = one-hot)");
        require(epochs >= 1, "epochs must be >= 1");
        require(batch >= 1, "batch must be >= 1");
        require(lr > 0, "lr must be > 0");
        require(validation >= 0 && validation < 1, "validation must be in [0, 1)");
        require(patience >= 1, "patience must be >= 1");
        require(threads >= 1, "threads must be >= 1");
        require(threshold >= 0 && threshold < 1, "threshold must be in [0, 1) (0 = off) or auto");
        require(target >= 0 && target < 1, "target must be in [0, 1)");
        require(maxWindows >= 0, "maxWindows must be >= 0 (0 = all)");
        require(lrDrops >= 0, "lrDrops must be >= 0");
        require(lrDecay > 0 && lrDecay < 1, "lrDecay must be in (0, 1)");
    }

    public static DeepLogConfig defaults() {
        return from(Params.empty());
    }

    /** Reads every hyper-parameter (recording the values used in {@code params}). */
    public static DeepLogConfig from(Params p) {
        return new DeepLogConfig(
                p.getInt("history", 10),
                topG(p),
                p.getInt("hidden", 64),
                p.getInt("layers", 2),
                p.getInt("embedding", 0),
                p.getInt("epochs", 300),
                p.getInt("batch", 512),
                p.getDouble("lr", 0.01),
                p.getLong("seed", 42),
                p.getDouble("validation", 0.05),
                p.getInt("patience", 10),
                p.getInt("threads", 1),
                AUTO.equals(p.getString("topG", "9")),
                threshold(p),
                AUTO.equals(p.getString("threshold", "0")),
                p.getDouble("target", 0.001),
                p.getLong("maxWindows", 0),
                p.getInt("lrDrops", 3),
                p.getDouble("lrDecay", 0.1));
    }

    private static int topG(Params p) {
        String v = p.getString("topG", "9");
        if (AUTO.equals(v)) {
            return 9; // replaced by the calibrated value after training
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new AnomalogException("deeplog: topG must be an integer or auto, not '" + v + "'");
        }
    }

    private static double threshold(Params p) {
        String v = p.getString("threshold", "0");
        if (AUTO.equals(v)) {
            return 0; // replaced by the calibrated value after training
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new AnomalogException("deeplog: threshold must be a probability or auto, not '" + v + "'");
        }
    }

    /** Whether the probability rule decides (a threshold is set or asked for) instead of the top-g rule. */
    public boolean probabilityRule() {
        return threshold > 0 || autoThreshold;
    }

    /** The decision rule in words, for reports and manifests. */
    public String rule() {
        return probabilityRule() ? "p < " + (autoThreshold ? AUTO : threshold) : "top-" + (autoTopG ? AUTO : topG);
    }

    /** Rebuilds the configuration a model was saved with (values as stored in its manifest). */
    public static DeepLogConfig fromManifest(Map<String, Object> stored) {
        Map<String, String> text = new LinkedHashMap<>();
        stored.forEach((k, v) -> text.put(k, String.valueOf(v)));
        return from(new Params(text));
    }

    /** The same configuration with a fixed top-g rule, which needs no retraining. */
    public DeepLogConfig withTopG(int g) {
        return new DeepLogConfig(history, g, hidden, layers, embedding, epochs, batch, lr, seed, validation, patience,
                threads, false, 0, false, target, maxWindows, lrDrops, lrDecay);
    }

    /** The same configuration with a fixed probability rule, which needs no retraining. */
    public DeepLogConfig withThreshold(double p) {
        return new DeepLogConfig(history, topG, hidden, layers, embedding, epochs, batch, lr, seed, validation,
                patience, threads, false, p, false, target, maxWindows, lrDrops, lrDecay);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("history", history);
        m.put("topG", autoTopG ? AUTO : topG);
        m.put("hidden", hidden);
        m.put("layers", layers);
        m.put("embedding", embedding);
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("lr", lr);
        m.put("seed", seed);
        m.put("validation", validation);
        m.put("patience", patience);
        m.put("threads", threads);
        m.put("threshold", autoThreshold ? AUTO : threshold);
        m.put("target", target);
        m.put("maxWindows", maxWindows);
        m.put("lrDrops", lrDrops);
        m.put("lrDecay", lrDecay);
        return m;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new AnomalogException("deeplog: " + message);
        }
    }
}
