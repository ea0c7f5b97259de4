package io.anomalog.core.data;

import io.anomalog.core.io.Utf8Buffer;

import java.util.Arrays;

/**
 * The encoded bytes of texts that recur as the very same String object, such as a template's text, which every
 * line of the template shares: a text is encoded once and its bytes copied after that, instead of being encoded
 * again for each row. A small direct-mapped table keyed by identity (the String caches its hash), so a text that
 * changed (a generalised template is a new String) or an evicted slot is simply encoded again. Not thread-safe:
 * one per thread.
 */
final class EncodedTexts {

    /** How a text is turned into bytes (the same function every time for one table). */
    @FunctionalInterface
    interface Encoding {
        void encode(String text, Utf8Buffer out);
    }

    private static final int SLOTS = 256;

    private final Encoding encoding;
    private final String[] texts = new String[SLOTS];
    private final byte[][] bytes = new byte[SLOTS][];
    private final Utf8Buffer scratch = new Utf8Buffer(256);

    EncodedTexts(Encoding encoding) {
        this.encoding = encoding;
    }

    /** Writes {@code text} as {@link Encoding} would, from the table when this String was written before. */
    void write(String text, Utf8Buffer out) {
        int slot = text.hashCode() & (SLOTS - 1);
        byte[] b = bytes[slot];
        if (texts[slot] != text) {
            scratch.clear();
            encoding.encode(text, scratch);
            b = Arrays.copyOf(scratch.array(), scratch.size());
            texts[slot] = text;
            bytes[slot] = b;
        }
        out.bytes(b, 0, b.length);
    }
}
