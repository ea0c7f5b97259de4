package io.anomalog.ml.attgru;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How a session becomes the fixed-size windows the classifier judges. A session of {@code n > W} events gives
 * the {@code n - W + 1} sliding windows of W events (step 1); a session of {@code n <= W} events gives one window
 * padded at the front with the padding index (attention gives padding weight 0). The session is anomalous when
 * any of its windows is; its score is the highest window probability.
 *
 * <p>A window is encoded as {@code int[2 W]}: per event the dense key index (0 = unknown key) and the attribute
 * index (0 = no or unknown attribute).
 */
public final class SessionWindows {

    /** Header field whose value is the event attribute of the one-hot classifier. */
    public static final String ATTRIBUTE_FIELD = "Level";

    private final KeyVocabulary vocabulary;
    private final int window;
    private final int padding;
    private final Map<String, Integer> attributes;

    /**
     * @param attributes attribute value -> index 1..k (0 is unknown), or an empty map when unused
     */
    public SessionWindows(KeyVocabulary vocabulary, int window, int padding, Map<String, Integer> attributes) {
        this.vocabulary = vocabulary;
        this.window = window;
        this.padding = padding;
        this.attributes = attributes;
    }

    public int window() {
        return window;
    }

    /** The windows of a session, in order (at least one). */
    public List<int[]> windows(Sequence s) {
        int n = s.length();
        int[] keyIdx = new int[n];
        int[] attrIdx = new int[n];
        for (int i = 0; i < n; i++) {
            keyIdx[i] = vocabulary.indexOf(s.keys()[i]);
            attrIdx[i] = s.hasEvents() ? attributeIndex(s.events().get(i)) : 0;
        }
        List<int[]> out = new ArrayList<>(Math.max(1, n - window + 1));
        if (n <= window) {
            int[] w = new int[2 * window];
            int pad = window - n;
            for (int t = 0; t < window; t++) {
                w[2 * t] = t < pad ? padding : keyIdx[t - pad];
                w[2 * t + 1] = t < pad ? 0 : attrIdx[t - pad];
            }
            out.add(w);
            return out;
        }
        for (int start = 0; start + window <= n; start++) {
            int[] w = new int[2 * window];
            for (int t = 0; t < window; t++) {
                w[2 * t] = keyIdx[start + t];
                w[2 * t + 1] = attrIdx[start + t];
            }
            out.add(w);
        }
        return out;
    }

    /** The raw keys of a window ({@code -1} for padding, the raw key or -1 for unknown otherwise). */
    public int[] rawKeys(int[] encoded) {
        int[] keys = new int[window];
        for (int t = 0; t < window; t++) {
            int idx = encoded[2 * t];
            keys[t] = idx == padding ? -1 : vocabulary.keyAt(idx);
        }
        return keys;
    }

    public boolean isPadding(int[] encoded, int t) {
        return encoded[2 * t] == padding;
    }

    private int attributeIndex(ParsedEvent e) {
        if (attributes.isEmpty() || e == null || e.record() == null) {
            return 0;
        }
        String value = e.record().field(ATTRIBUTE_FIELD);
        return value == null ? 0 : attributes.getOrDefault(value, 0);
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
