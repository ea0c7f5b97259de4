package io.anomalog.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that text is written into as UTF-8 directly, so output of millions of rows needs no
 * intermediate Strings, char arrays or encoder per row. Text is encoded as {@link java.io.OutputStreamWriter}
 * with UTF-8 encodes it: a surrogate without its pair becomes {@code ?}. Not thread-safe: one per thread.
 */
public final class Utf8Buffer {

    private byte[] bytes;
    private int size;

    public Utf8Buffer(int capacity) {
        this.bytes = new byte[Math.max(16, capacity)];
    }

    public int size() {
        return size;
    }

    /** The bytes written so far are {@code array()[0, size())}. */
    public byte[] array() {
        return bytes;
    }

    public void clear() {
        size = 0;
    }

    /** Forgets what was written after {@code size}. */
    public void truncate(int size) {
        this.size = size;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    /** A character below 0x80, as one byte. */
    public Utf8Buffer ascii(char c) {
        ensure(1);
        bytes[size++] = (byte) c;
        return this;
    }

    /** Text known to be ASCII (a fixed column name, a separator). */
    public Utf8Buffer ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[size + i] = (byte) s.charAt(i);
        }
        size += n;
        return this;
    }

    /** A number in decimal. */
    public Utf8Buffer number(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return ascii(Long.toString(v));
            }
            ascii('-');
            v = -v;
        }
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) {
            digits++;
        }
        ensure(digits);
        int p = size + digits;
        do {
            bytes[--p] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        } while (v != 0);
        size += digits;
        return this;
    }

    /** Any text, as UTF-8. */
    public Utf8Buffer text(String s) {
        return text(s, -1);
    }

    /**
     * Any text as UTF-8, writing each {@code doubled} character twice (a quote inside a quoted CSV field);
     * {@code (char) 0x10000} doubles nothing.
     */
    public Utf8Buffer text(String s, int doubled) {
        int n = s.length();
        ensure(n);
        int i = 0;
        int p = size;
        byte[] b = bytes;
        // ASCII runs, the common case, one byte per character
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == doubled) {
                break;
            }
            b[p++] = (byte) c;
        }
        size = p;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c == doubled) {
                ensure(2);
                bytes[size++] = (byte) c;
                bytes[size++] = (byte) c;
            } else if (c < 0x80) {
                ascii(c);
            } else if (c < 0x800) {
                ensure(2);
                bytes[size++] = (byte) (0xC0 | (c >> 6));
                bytes[size++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    ensure(4);
                    bytes[size++] = (byte) (0xF0 | (cp >> 18));
                    bytes[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    bytes[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    bytes[size++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    ascii('?');
                }
            } else {
                ensure(3);
                bytes[size++] = (byte) (0xE0 | (c >> 12));
                bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                bytes[size++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return this;
    }

    /** Strings up to this long take the character loop of {@link #unlessAny}. */
    private static final int SHORT = 24;

    /**
     * Writes {@code s} as UTF-8 unless it holds one of the ASCII characters in {@code flagged}, and says whether it
     * did; otherwise writes nothing, for the caller's slower path (a CSV field that needs quotes). The JDK's
     * encoder copies an ASCII string in bulk, and one pass without branches checks the bytes, which is faster
     * than a loop over characters; an ASCII character never occurs inside the bytes of another in UTF-8. A short
     * string (a date, a level, a process id) is copied by a loop over its characters instead, when they are all
     * ASCII: there the array the encoder allocates costs more than the loop.
     */
    public boolean unlessAny(String s, Flags flagged) {
        int n = s.length();
        if (n <= SHORT) {
            ensure(n);
            byte[] out = bytes;
            int p = size;
            boolean[] t = flagged.table;
            int i = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    break;          // the encoder's path below, from the start: nothing counts as written yet
                }
                if (t[c]) {
                    return false;
                }
                out[p + i] = (byte) c;
            }
            if (i == n) {
                size = p + n;
                return true;
            }
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (flagged.any(b)) {
            return false;
        }
        bytes(b, 0, b.length);
        return true;
    }

    /** A set of ASCII characters to look for in encoded text. */
    public static final class Flags {
        /** By unsigned byte value; its length is known to the compiler, so the look-ups need no bounds checks. */
        private final boolean[] table = new boolean[256];

        public Flags(String chars) {
            for (char c : chars.toCharArray()) {
                if (c >= 0x80) {
                    throw new IllegalArgumentException("not ASCII: " + c);
                }
                table[c] = true;
            }
        }

        boolean any(byte[] b) {
            boolean[] t = table;
            boolean hit = false;
            for (byte x : b) {
                hit |= t[x & 0xFF];
            }
            return hit;
        }
    }

    /** Raw bytes. */
    public Utf8Buffer bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
        return this;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
        }
    }
}
