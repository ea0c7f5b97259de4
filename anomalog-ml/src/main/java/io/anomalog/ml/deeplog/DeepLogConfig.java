package io.anomalog.ml.deeplog;

import io.anomalog.core.detect.Params;
import io.anomalog.core.util.AnomalogException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of the DeepLog log-key model. Defaults follow the paper and its public reference
 * implementation (history 10, top 9 candidates, 2 LSTM layers of 64 units, Adam, batch 2048), except that keys
 * enter as one-hot vectors (as in the paper) instead of the reference's single scalar input, and training stops
 * early on the validation loss instead of running a fixed 300 epochs.
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
 * @param validation share of training sessions held out for early stopping (0 = none)
 * @param patience   epochs without a better validation loss before training stops
 * @param threads    PyTorch intra-op threads while training (scoring always uses 1)
 */
public record DeepLogConfig(int history, int topG, int hidden, int layers, int embedding, int epochs, int batch,
                            double lr, long seed, double validation, int patience, int threads) {

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
    }

    public static DeepLogConfig defaults() {
        return from(Params.empty());
    }

    /** Reads every hyper-parameter (recording the values used in {@code params}). */
    public static DeepLogConfig from(Params p) {
        return new DeepLogConfig(
                p.getInt("history", 10),
                p.getInt("topG", 9),
                p.getInt("hidden", 64),
                p.getInt("layers", 2),
                p.getInt("embedding", 0),
                p.getInt("epochs", 100),
                p.getInt("batch", 512),
                p.getDouble("lr", 0.01),
                p.getLong("seed", 42),
                p.getDouble("validation", 0.1),
                p.getInt("patience", 5),
                p.getInt("threads", 2));
    }

    /** Rebuilds the configuration a model was saved with (values as stored in its manifest). */
    public static DeepLogConfig fromManifest(Map<String, Object> stored) {
        Map<String, String> text = new LinkedHashMap<>();
        stored.forEach((k, v) -> text.put(k, String.valueOf(v)));
        return from(new Params(text));
    }

    /** The same configuration with other detection settings (top g), which need no retraining. */
    public DeepLogConfig withTopG(int g) {
        return new DeepLogConfig(history, g, hidden, layers, embedding, epochs, batch, lr, seed, validation, patience,
                threads);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("history", history);
        m.put("topG", topG);
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
        return m;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new AnomalogException("deeplog: " + message);
        }
    }
}
