package io.anomalog.ml.reconstruction;

import io.anomalog.core.detect.Params;
import io.anomalog.core.util.AnomalogException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hyper-parameters of the reconstruction detector.
 *
 * @param history  windows per input sequence: the window judged and the ones before it of the same series
 * @param hidden   state size of the encoder and decoder LSTMs (the bottleneck)
 * @param epochs   most training epochs
 * @param patience epochs without a lower validation loss before training stops
 * @param batch    sequences per training step
 * @param lr       Adam's step size
 * @param k        the threshold is the mean plus k standard deviations of the validation errors
 * @param explain  features the verdict names
 * @param seed     seed of initialisation and shuffling
 * @param threads  PyTorch intra-op threads while training
 * @param score    how a window's squared errors become its score: {@code tail} (default), the largest over the
 *                 features of each one's surprise, {@code -ln p} of its error on the normal validation windows
 *                 ({@link ErrorTails}), so that one feature far off counts however many features there are;
 *                 {@code normalised}, the mean over the features of each one's squared error divided by its mean
 *                 squared error on the normal validation windows; or {@code mse}, their plain mean
 * @param persist  with {@code score=tail}, each feature also gets the surprise of the smallest of its errors
 *                 over the last {@code persist} windows of the sequence (fitted on the validation windows the
 *                 same way), and the larger of its two surprises counts: a feature a little off in every one of
 *                 those windows (a slow creep) stands out where no single window does, and a one-window spike
 *                 does not linger in the windows after it; 0 turns it off, otherwise 2 to {@code history}; other
 *                 scores take only 0, their default
 * @param shape    with {@code score=tail}, the largest shape of the generalised Pareto tails fitted beyond each
 *                 feature's 95th percentile ({@link ErrorTails}), below 1; 0 makes every tail exponential; other
 *                 scores take only 0, their default
 */
public record ReconstructionConfig(int history, int hidden, int epochs, int patience, int batch, double lr, double k,
                                   int explain, long seed, int threads, String score,
                                   int persist, double shape) {

    public static final String TAIL = "tail";
    public static final String NORMALISED = "normalised";
    public static final String MSE = "mse";

    public ReconstructionConfig {
        require(history >= 1 && history <= 1000, "history must be between 1 and 1000, got " + history);
        require(hidden >= 1 && hidden <= 4096, "hidden must be between 1 and 4096, got " + hidden);
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(patience >= 1, "patience must be at least 1, got " + patience);
        require(batch >= 1, "batch must be at least 1, got " + batch);
        require(lr > 0 && lr < 1, "lr must be in (0, 1), got " + lr);
        require(k >= 0 && Double.isFinite(k), "k must be 0 or more, got " + k);
        require(explain >= 1, "explain must be at least 1, got " + explain);
        require(threads >= 1, "threads must be at least 1, got " + threads);
        require(TAIL.equals(score) || NORMALISED.equals(score) || MSE.equals(score), "score must be " + TAIL + ", "
                + NORMALISED + " or " + MSE + ", got " + score);
        require(persist == 0 || (persist >= 2 && persist <= history), "persist must be 0 or between 2 and history ("
                + history + "), got " + persist);
        require(persist == 0 || TAIL.equals(score), "persist works with score=" + TAIL + " only; with score="
                + score + " give persist=0 or leave it out");
        require(shape >= 0 && shape < 1, "shape must be at least 0 and below 1, got " + shape);
        require(shape == 0 || TAIL.equals(score), "shape works with score=" + TAIL + " only; with score="
                + score + " give shape=0 or leave it out");
    }

    public static ReconstructionConfig defaults() {
        return new ReconstructionConfig(4, 4, 30, 3, 256, 0.005, 3.0, 3, 42, 1, TAIL, 3, 0.8);
    }

    /** Windows the persistent surprise spans; 0 when it is off (always so unless the score is the tail one). */
    int persistence() {
        return persist;
    }

    public static ReconstructionConfig from(Params p) {
        ReconstructionConfig d = defaults();
        try {
            int history = p.getInt("history", d.history);
            String score = p.getString("score", d.score);
            // the default persistence shortens with a history too short for it, and is off for the scores
            // that do not use it
            int persist = p.getInt("persist", history >= 2 && TAIL.equals(score) ? Math.min(d.persist, history) : 0);
            return new ReconstructionConfig(history, p.getInt("hidden", d.hidden),
                    p.getInt("epochs", d.epochs), p.getInt("patience", d.patience), p.getInt("batch", d.batch),
                    p.getDouble("lr", d.lr), p.getDouble("k", d.k), p.getInt("explain", d.explain),
                    p.getLong("seed", d.seed), p.getInt("threads", d.threads), score, persist,
                    p.getDouble("shape", TAIL.equals(score) ? d.shape : 0));
        } catch (IllegalArgumentException e) {
            throw new AnomalogException(ReconstructionProvider.METHOD + ": " + e.getMessage());
        }
    }

    /** From a manifest's hyper-parameters (numbers as Jackson read them). */
    static ReconstructionConfig fromMap(Map<String, Object> m) {
        Map<String, String> given = new LinkedHashMap<>();
        m.forEach((key, v) -> given.put(key, String.valueOf(v)));
        return from(new Params(given));
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("history", history);
        m.put("hidden", hidden);
        m.put("epochs", epochs);
        m.put("patience", patience);
        m.put("batch", batch);
        m.put("lr", lr);
        m.put("k", k);
        m.put("explain", explain);
        m.put("seed", seed);
        m.put("threads", threads);
        m.put("score", score);
        m.put("persist", persist);
        m.put("shape", shape);
        return m;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
