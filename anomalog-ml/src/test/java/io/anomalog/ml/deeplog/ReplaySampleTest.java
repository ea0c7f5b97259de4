package io.anomalog.ml.deeplog;

import io.anomalog.core.detect.KeyVocabulary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplaySampleTest {

    private static final int H = 2;

    /** Windows of raw keys {a, b, c} for the given a values, each with the given count. */
    private static Windows windows(KeyTokens tokens, int from, int to, float count) {
        int n = to - from;
        int[] rows = new int[n * (H + 1)];
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            rows[i * 3] = tokens.vocabulary().indexOf(from + i);
            rows[i * 3 + 1] = tokens.vocabulary().indexOf(1);
            rows[i * 3 + 2] = tokens.vocabulary().indexOf(2);
            w[i] = count;
        }
        return Windows.ofTokens(rows, w, H);
    }

    private static KeyTokens tokens(int keys) {
        List<Integer> raw = new ArrayList<>();
        for (int k = 1; k <= keys; k++) {
            raw.add(k);
        }
        return new KeyTokens(new KeyVocabulary(raw));
    }

    @Test
    void aWindowLearnedTwiceIsKeptOnceWithTheLargerCount() {
        KeyTokens tokens = tokens(10);
        ReplaySample s = ReplaySample.of(windows(tokens, 3, 6, 5f), tokens, H, ReplaySample.DEFAULT_SIZE, 1);
        ReplaySample more = s.plus(windows(tokens, 5, 8, 9f), tokens);
        assertEquals(5, more.size(), "3 trained + 3 learned windows, one shared");
        int shared = -1;
        for (int i = 0; i < more.size(); i++) {
            if (Arrays.equals(more.windows().get(i), new int[] {5, 1, 2})) {
                shared = i;
            }
        }
        assertTrue(shared >= 0);
        assertEquals(9f, more.weights().get(shared));
    }

    @Test
    void repeatedUpdatesKeepTheSampleBoundedAndKeepWhatWasJustLearned() {
        int keys = 3 * ReplaySample.MAX_SIZE;
        KeyTokens tokens = tokens(keys);
        ReplaySample s = ReplaySample.of(windows(tokens, 3, 3 + ReplaySample.DEFAULT_SIZE, 100f), tokens, H,
                ReplaySample.DEFAULT_SIZE, 1);
        int next = 3 + ReplaySample.DEFAULT_SIZE;
        for (int update = 0; update < 5; update++) {
            s = s.plus(windows(tokens, next, next + 1500, 1f), tokens);
            next += 1500;
            assertTrue(s.size() <= ReplaySample.MAX_SIZE, "size " + s.size() + " after update " + update);
        }
        assertEquals(ReplaySample.MAX_SIZE, s.size());
        List<Integer> firstKeys = new ArrayList<>();
        for (int[] w : s.windows()) {
            firstKeys.add(w[0]);
        }
        for (int k = next - 1500; k < next; k++) {
            assertTrue(firstKeys.contains(k), "a window of the last update was dropped: " + k);
        }
        for (int k = 3; k < 3 + ReplaySample.DEFAULT_SIZE; k++) {
            assertTrue(firstKeys.contains(k), "a heavy training window was dropped for lighter ones: " + k);
        }
    }
}
