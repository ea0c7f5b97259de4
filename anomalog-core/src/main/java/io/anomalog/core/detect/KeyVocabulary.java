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

    /** Keys spread wider than this (templates first met while detecting sit at 2^30 and above) use a map. */
    private static final long DENSE_SPAN = 1 << 20;

    private final int[] keys;          // sorted raw keys; index i+1 is keys[i]
    private final int minKey;
    private final int[] denseByOffset; // raw key - minKey -> dense index, 0 when unknown; null for sparse keys
    private final java.util.Map<Integer, Integer> sparse;

    public KeyVocabulary(Collection<Integer> rawKeys) {
        this.keys = new TreeSet<>(rawKeys).stream().mapToInt(Integer::intValue).toArray();
        if (keys.length == 0) {
            minKey = 0;
            denseByOffset = new int[0];
            sparse = null;
        } else {
            minKey = keys[0];
            long span = (long) keys[keys.length - 1] - minKey + 1;
            if (span <= DENSE_SPAN) {
                denseByOffset = new int[(int) span];
                for (int i = 0; i < keys.length; i++) {
                    denseByOffset[keys[i] - minKey] = i + 1;
                }
                sparse = null;
                return;
            }
            denseByOffset = null;
            sparse = new java.util.HashMap<>(keys.length * 2);
            for (int i = 0; i < keys.length; i++) {
                sparse.put(keys[i], i + 1);
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
        if (sparse != null) {
            return sparse.getOrDefault(rawKey, UNKNOWN);
        }
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
