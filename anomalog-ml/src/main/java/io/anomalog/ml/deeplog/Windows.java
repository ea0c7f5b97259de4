package io.anomalog.ml.deeplog;

import io.anomalog.core.session.Sequence;

import java.util.List;

/**
 * Training windows: each history of h tokens and the token after it, from padded sessions (see
 * {@link KeyTokens}), stored flat so batches are cheap to cut.
 */
final class Windows {

    private final int[] histories; // size() * h tokens
    private final int[] next;
    private final int h;

    private Windows(int[] histories, int[] next, int h) {
        this.histories = histories;
        this.next = next;
        this.h = h;
    }

    static Windows of(List<Sequence> sessions, KeyTokens tokens, int h) {
        int count = 0;
        for (Sequence s : sessions) {
            count += Math.max(s.length(), h + 1) - h;
        }
        int[] hist = new int[count * h];
        int[] next = new int[count];
        int w = 0;
        for (Sequence s : sessions) {
            int[] t = tokens.padded(s.keys(), h);
            for (int i = 0; i + h < t.length; i++) {
                System.arraycopy(t, i, hist, w * h, h);
                next[w] = t[i + h];
                w++;
            }
        }
        return new Windows(hist, next, h);
    }

    int size() {
        return next.length;
    }

    /** Histories of the windows order[from .. from+n) as int64 tokens, row after row. */
    long[] histories(int[] order, int from, int n, int h) {
        long[] out = new long[n * h];
        for (int i = 0; i < n; i++) {
            int w = order[from + i];
            for (int j = 0; j < h; j++) {
                out[i * h + j] = histories[w * this.h + j];
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
}
