package io.anomalog.ml.deeplog;

import io.anomalog.core.session.Sequence;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training windows: each distinct history of h tokens with the token after it, and how often that pair occurs
 * in the padded sessions (see {@link KeyTokens}). Logs repeat the same windows massively (HDFS: 46,575 windows,
 * 4,092 distinct), so training on distinct windows weighted by their counts minimises exactly the same loss as
 * training on every window, at a tenth of the cost.
 */
final class Windows {

    private final int[] histories; // size() * h tokens
    private final int[] next;
    private final float[] weights;
    private final int h;
    private final long total;

    private Windows(int[] histories, int[] next, float[] weights, int h, long total) {
        this.histories = histories;
        this.next = next;
        this.weights = weights;
        this.h = h;
        this.total = total;
    }

    static Windows of(List<Sequence> sessions, KeyTokens tokens, int h) {
        Map<Key, int[]> counts = new LinkedHashMap<>();
        long total = 0;
        for (Sequence s : sessions) {
            int[] t = tokens.padded(s.keys(), h);
            for (int i = 0; i + h < t.length; i++) {
                counts.computeIfAbsent(new Key(Arrays.copyOfRange(t, i, i + h + 1)), k -> new int[1])[0]++;
                total++;
            }
        }
        int n = counts.size();
        int[] hist = new int[n * h];
        int[] next = new int[n];
        float[] weights = new float[n];
        int w = 0;
        for (Map.Entry<Key, int[]> e : counts.entrySet()) {
            System.arraycopy(e.getKey().tokens, 0, hist, w * h, h);
            next[w] = e.getKey().tokens[h];
            weights[w] = e.getValue()[0];
            w++;
        }
        return new Windows(hist, next, weights, h, total);
    }

    /** Windows given as rows of h + 1 tokens (the history, then the next token), each with its count. */
    static Windows ofTokens(int[] rows, float[] weights, int h) {
        int n = weights.length;
        int[] hist = new int[n * h];
        int[] next = new int[n];
        double total = 0;
        for (int w = 0; w < n; w++) {
            System.arraycopy(rows, w * (h + 1), hist, w * h, h);
            next[w] = rows[w * (h + 1) + h];
            total += weights[w];
        }
        return new Windows(hist, next, weights.clone(), h, Math.round(total));
    }

    /**
     * The lowest mean cross-entropy any model can reach on these windows: the entropy of the next token given the
     * history, with the empirical distribution of each history's next tokens.
     */
    double conditionalEntropy() {
        Map<Key, Double> byHistory = historyTotals();
        double sum = 0;
        for (int w = 0; w < next.length; w++) {
            double p = weights[w] / byHistory.get(history(w));
            sum -= weights[w] * Math.log(p);
        }
        return total == 0 ? 0 : sum / total;
    }

    /** The best top-1 accuracy any model can reach: each history predicts its most frequent next token. */
    double top1Ceiling() {
        Map<Key, Double> best = new java.util.HashMap<>();
        for (int w = 0; w < next.length; w++) {
            best.merge(history(w), (double) weights[w], Math::max);
        }
        double sum = 0;
        for (double b : best.values()) {
            sum += b;
        }
        return total == 0 ? 0 : sum / total;
    }

    private Map<Key, Double> historyTotals() {
        Map<Key, Double> totals = new java.util.HashMap<>();
        for (int w = 0; w < next.length; w++) {
            totals.merge(history(w), (double) weights[w], Double::sum);
        }
        return totals;
    }

    private Key history(int w) {
        return new Key(Arrays.copyOfRange(histories, w * h, w * h + h));
    }

    /** Distinct windows. */
    int size() {
        return next.length;
    }

    /** All windows, repeats counted. */
    long total() {
        return total;
    }

    /** Histories of the windows order[from .. from+n) as int64 tokens, row after row. */
    long[] histories(int[] order, int from, int n) {
        long[] out = new long[n * h];
        for (int i = 0; i < n; i++) {
            int w = order[from + i];
            for (int j = 0; j < h; j++) {
                out[i * h + j] = histories[w * h + j];
            }
        }
        return out;
    }

    long[] nextKeys(int[] order, int from, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = next[order[from + i]];
        }
        return out;
    }

    float[] weights(int[] order, int from, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = weights[order[from + i]];
        }
        return out;
    }

    /** Raw keys that follow some history in these windows, sorted. */
    java.util.List<Integer> nextRawKeys(KeyTokens tokens) {
        java.util.TreeSet<Integer> keys = new java.util.TreeSet<>();
        for (int t : next) {
            Integer raw = tokens.rawKey(t);
            if (raw != null) {
                keys.add(raw);
            }
        }
        return java.util.List.copyOf(keys);
    }

    boolean predictsToken(int token) {
        for (int t : next) {
            if (t == token) {
                return true;
            }
        }
        return false;
    }

    private record Key(int[] tokens) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(tokens, k.tokens);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tokens);
        }
    }
}
