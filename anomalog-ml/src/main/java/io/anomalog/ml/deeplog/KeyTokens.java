package io.anomalog.ml.deeplog;

import io.anomalog.core.detect.KeyVocabulary;

/**
 * The token space of the network: token 0 is a key never seen in training ({@link KeyVocabulary#UNKNOWN}),
 * tokens 1..n are the known keys in vocabulary order, and token n+1 is padding, which also marks the end of a
 * session shorter than history + 1.
 *
 * <p>Padding follows the reference implementation (wuyifan18/DeepLog): a session shorter than h + 1 keys is
 * filled up to h + 1 with the padding token, and the model must predict that token after the last real key. The
 * first h keys of a session are only history, never judged. So a short session is judged by one prediction:
 * "does the session end here?", which the model learns when training has short sessions; when it has none, a
 * short session is flagged, as in the reference.
 */
final class KeyTokens {

    static final int UNKNOWN = KeyVocabulary.UNKNOWN;

    private final KeyVocabulary vocabulary;
    private final int pad;

    KeyTokens(KeyVocabulary vocabulary) {
        this.vocabulary = vocabulary;
        this.pad = vocabulary.size() + 1;
    }

    KeyVocabulary vocabulary() {
        return vocabulary;
    }

    /** Number of output classes: unknown, the known keys, padding. */
    int classes() {
        return vocabulary.size() + 2;
    }

    int pad() {
        return pad;
    }

    /** The session's tokens, padded to at least history + 1. */
    int[] padded(int[] rawKeys, int history) {
        int n = Math.max(rawKeys.length, history + 1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i < rawKeys.length ? vocabulary.indexOf(rawKeys[i]) : pad;
        }
        return out;
    }

    /** The raw key of a token, or null for padding and unknown. */
    Integer rawKey(int token) {
        return token == pad || token == UNKNOWN ? null : vocabulary.keyAt(token);
    }
}
