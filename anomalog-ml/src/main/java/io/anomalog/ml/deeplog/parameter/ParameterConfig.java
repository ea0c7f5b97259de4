package io.anomalog.ml.deeplog.parameter;

import io.anomalog.core.detect.Params;
import io.anomalog.core.util.AnomalogException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of DeepLog's parameter-value models, read from the same {@code -p NAME=VALUE} list as the key model,
 * each with a {@code parameter} prefix (besides {@code parameters} itself).
 *
 * @param enabled      {@code parameters}: train the parameter models at all (default true)
 * @param history      {@code parameterHistory}: previous vectors of the same key the LSTM reads (default 3)
 * @param hidden       {@code parameterHidden}: LSTM state size (default 16)
 * @param epochs       {@code parameterEpochs}: most passes over a key's vectors (default 40)
 * @param batch        {@code parameterBatch}: vectors per step (default 128)
 * @param lr           {@code parameterLr}: Adam's step size (default 0.005)
 * @param validation   {@code parameterValidation}: share of each key's vectors held out for early stopping and
 *                     for the Gaussian of prediction errors (default 0.2)
 * @param patience     {@code parameterPatience}: epochs without a better validation loss before stopping (default 5)
 * @param confidence   {@code parameterConfidence}: confidence of the interval a normal error falls in (default
 *                     0.999)
 * @param maxVectors   {@code parameterMaxVectors}: a key with more training vectors trains on a seeded sample of
 *                     this many (default 10,000); the Gaussian of errors still comes from its own held-out share
 * @param minVectors   {@code parameterMinVectors}: a key with fewer training vectors gets a per-dimension Gaussian
 *                     instead of a network (default 200)
 * @param threads      {@code parameterThreads}: Java threads training keys in parallel, each with one PyTorch
 *                     intra-op thread (default: the available processors)
 * @param seed         the key model's {@code seed}
 */
public record ParameterConfig(boolean enabled, int history, int hidden, int epochs, int batch, double lr,
                              double validation, int patience, double confidence, int maxVectors, int minVectors, int threads,
                              long seed) {

    public ParameterConfig {
        require(history >= 1, "parameterHistory must be >= 1");
        require(hidden >= 1, "parameterHidden must be >= 1");
        require(epochs >= 1, "parameterEpochs must be >= 1");
        require(batch >= 1, "parameterBatch must be >= 1");
        require(lr > 0, "parameterLr must be > 0");
        require(validation > 0 && validation < 1, "parameterValidation must be in (0, 1)");
        require(patience >= 1, "parameterPatience must be >= 1");
        require(confidence > 0.5 && confidence < 1, "parameterConfidence must be in (0.5, 1)");
        require(minVectors >= 10, "parameterMinVectors must be >= 10");
        require(maxVectors >= minVectors, "parameterMaxVectors must be >= parameterMinVectors");
        require(threads >= 1, "parameterThreads must be >= 1");
    }

    public static ParameterConfig defaults() {
        return from(Params.empty());
    }

    /** Reads the settings (recording the values used in {@code p}). */
    public static ParameterConfig from(Params p) {
        return new ParameterConfig(
                p.getBoolean("parameters", true),
                p.getInt("parameterHistory", 3),
                p.getInt("parameterHidden", 16),
                p.getInt("parameterEpochs", 40),
                p.getInt("parameterBatch", 128),
                p.getDouble("parameterLr", 0.005),
                p.getDouble("parameterValidation", 0.2),
                p.getInt("parameterPatience", 5),
                p.getDouble("parameterConfidence", 0.999),
                p.getInt("parameterMaxVectors", 10_000),
                p.getInt("parameterMinVectors", 200),
                p.getInt("parameterThreads", Runtime.getRuntime().availableProcessors()),
                p.getLong("seed", 42));
    }

    /** The same settings judging at another confidence (no retraining needed). */
    public ParameterConfig withConfidence(double c) {
        return new ParameterConfig(enabled, history, hidden, epochs, batch, lr, validation, patience, c, maxVectors, minVectors,
                threads, seed);
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("parameters", enabled);
        m.put("parameterHistory", history);
        m.put("parameterHidden", hidden);
        m.put("parameterEpochs", epochs);
        m.put("parameterBatch", batch);
        m.put("parameterLr", lr);
        m.put("parameterValidation", validation);
        m.put("parameterPatience", patience);
        m.put("parameterConfidence", confidence);
        m.put("parameterMaxVectors", maxVectors);
        m.put("parameterMinVectors", minVectors);
        m.put("parameterThreads", threads);
        return m;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new AnomalogException("deeplog: " + message);
        }
    }
}
