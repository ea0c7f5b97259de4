package io.anomalog.core.detect;

import io.anomalog.core.session.Sequence;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Maps raw log keys (as sources number them) onto dense indices 1..size for models. Index 0 is
 * {@link #UNKNOWN}: every key not seen when the vocabulary was built, which DeepLog treats as an anomaly.
 * Immutable and thread-safe.
 */
public final class KeyVocabulary {

    public static final int UNKNOWN = 0;

    private final int[] keys;          // sorted raw keys; index i+1 is keys[i]
    private final int minKey;
    private final int[] denseByOffset; // raw key - minKey -> dense index, 0 when unknown

    public KeyVocabulary(Collection<Integer> rawKeys) {
        this.keys = new TreeSet<>(rawKeys).stream().mapToInt(Integer::intValue).toArray();
        if (keys.length == 0) {
            minKey = 0;
            denseByOffset = new int[0];
        } else {
            minKey = keys[0];
            long span = (long) keys[keys.length - 1] - minKey + 1;
            if (span > 50_000_000L) {
                throw new IllegalArgumentException("log keys span " + span + " values; keys must be template ids");
            }
            denseByOffset = new int[(int) span];
            for (int i = 0; i < keys.length; i++) {
                denseByOffset[keys[i] - minKey] = i + 1;
            }
        }
    }

    /** The vocabulary of every key in the given sequences. */
    public static KeyVocabulary of(Collection<Sequence> sequences) {
        TreeSet<Integer> all = new TreeSet<>();
        for (Sequence s : sequences) {
            for (int k : s.keys()) {
                all.add(k);
            }
        }
        return new KeyVocabulary(all);
    }

    /** Number of known keys; dense indices run 1..size(), so models need size()+1 classes. */
    public int size() {
        return keys.length;
    }

    public int indexOf(int rawKey) {
        long off = (long) rawKey - minKey;
        return off < 0 || off >= denseByOffset.length ? UNKNOWN : denseByOffset[(int) off];
    }

    public boolean contains(int rawKey) {
        return indexOf(rawKey) != UNKNOWN;
    }

    /** The raw key at a dense index; -1 for {@link #UNKNOWN}. */
    public int keyAt(int index) {
        return index <= 0 || index > keys.length ? -1 : keys[index - 1];
    }

    public int[] encode(int[] rawKeys) {
        int[] out = new int[rawKeys.length];
        for (int i = 0; i < rawKeys.length; i++) {
            out[i] = indexOf(rawKeys[i]);
        }
        return out;
    }

    /** Raw keys in dense-index order, for saving. */
    public List<Integer> rawKeys() {
        return Arrays.stream(keys).boxed().toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyVocabulary v && Arrays.equals(keys, v.keys);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keys);
    }
}
