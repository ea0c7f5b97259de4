package io.anomalog.ml.attgru;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.session.Sequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a session becomes the fixed-size windows the classifier judges. A session of {@code n > W} events gives
 * the {@code n - W + 1} sliding windows of W events (step 1); a session of {@code n <= W} events gives one window
 * padded at the front with the padding index (attention gives padding weight 0). The session is anomalous when
 * any of its windows is; its score is the highest window probability.
 *
 * <p>A window is encoded as {@code int[W * C]} with {@code C = 1 + attributes}: per event the dense key index
 * (0 = unknown key) followed by the index of each event attribute ({@link EventAttributes}; 0 = none or unknown).
 */
public final class SessionWindows {

    private final KeyVocabulary vocabulary;
    private final int window;
    private final int padding;
    private final EventAttributes attributes;
    private final int channels;

    public SessionWindows(KeyVocabulary vocabulary, int window, int padding, EventAttributes attributes) {
        this.vocabulary = vocabulary;
        this.window = window;
        this.padding = padding;
        this.attributes = attributes;
        this.channels = 1 + attributes.count();
    }

    public int window() {
        return window;
    }

    /** Values per event in an encoded window: the key index and the attribute indices. */
    public int channels() {
        return channels;
    }

    /** The windows of a session, in order (at least one). */
    public List<int[]> windows(Sequence s) {
        int n = s.length();
        int[] events = new int[n * channels];
        boolean withAttributes = channels > 1 && s.hasEvents();
        for (int i = 0; i < n; i++) {
            events[i * channels] = vocabulary.indexOf(s.keys()[i]);
            if (withAttributes) {
                attributes.indices(s.events().get(i), events, i * channels + 1);
            }
        }
        List<int[]> out = new ArrayList<>(Math.max(1, n - window + 1));
        if (n <= window) {
            int[] w = new int[window * channels];
            int pad = window - n;
            for (int t = 0; t < pad; t++) {
                w[t * channels] = padding;
            }
            System.arraycopy(events, 0, w, pad * channels, n * channels);
            out.add(w);
            return out;
        }
        for (int start = 0; start + window <= n; start++) {
            out.add(Arrays.copyOfRange(events, start * channels, (start + window) * channels));
        }
        return out;
    }

    /** Number of windows of a session without building them. */
    public int windowCount(Sequence s) {
        return Math.max(1, s.length() - window + 1);
    }

    /** The raw keys of a window ({@code -1} for padding, the raw key or -1 for unknown otherwise). */
    public int[] rawKeys(int[] encoded) {
        int[] keys = new int[window];
        for (int t = 0; t < window; t++) {
            int idx = encoded[t * channels];
            keys[t] = idx == padding ? -1 : vocabulary.keyAt(idx);
        }
        return keys;
    }

    /** A window as a hash key, for de-duplication. */
    public record Key(int[] encoded) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(encoded, k.encoded);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(encoded);
        }
    }
}
