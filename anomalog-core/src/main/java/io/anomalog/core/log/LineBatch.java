package io.anomalog.core.log;

import java.nio.charset.StandardCharsets;

/**
 * Consecutive physical lines of one input, as {@link LineSplitter} cut them: the bytes of each line (its newline,
 * a trailing {@code \r} and whatever lay past the line cap left out) in one shared array, with the line number and
 * byte offset of each. Empty lines are in it too, so line numbers run without gaps. Read-only once made; a batch
 * may be handed to another thread.
 */
public final class LineBatch {

    private static final char REPLACEMENT = '\uFFFD';

    final byte[] data;
    /** Source offset of {@code data[0]}. */
    final long dataOffset;
    final long firstLine;
    int[] start;
    int[] length;
    boolean[] truncated;
    int size;
    int truncatedCount;
    /** Source bytes consumed once this batch is read (its lines and newlines, and any bytes skipped). */
    long endPosition;

    LineBatch(byte[] data, long dataOffset, long firstLine, int capacity) {
        this.data = data;
        this.dataOffset = dataOffset;
        this.firstLine = firstLine;
        this.start = new int[capacity];
        this.length = new int[capacity];
        this.truncated = new boolean[capacity];
    }

    void add(int from, int len, boolean cut) {
        if (size == start.length) {
            int n = size * 2;
            start = java.util.Arrays.copyOf(start, n);
            length = java.util.Arrays.copyOf(length, n);
            truncated = java.util.Arrays.copyOf(truncated, n);
        }
        start[size] = from;
        length[size] = len;
        truncated[size] = cut;
        if (cut) {
            truncatedCount++;
        }
        size++;
    }

    /** Physical lines in the batch, empty ones included. */
    public int size() {
        return size;
    }

    /** The 1-based line number of line {@code i} in its source. */
    public long lineNumber(int i) {
        return firstLine + i;
    }

    /** The byte offset of line {@code i} in its source. */
    public long offset(int i) {
        return dataOffset + start[i];
    }

    /** Whether line {@code i} was longer than the cap and was cut. */
    public boolean truncated(int i) {
        return truncated[i];
    }

    /** Lines of the batch that were cut at the cap. */
    public int truncatedLines() {
        return truncatedCount;
    }

    /** Bytes of the source consumed up to the end of this batch (for progress). */
    public long endPosition() {
        return endPosition;
    }

    /**
     * Line {@code i} as text: UTF-8 decoded by the JDK (ASCII runs copied in bulk), malformed bytes as U+FFFD, and
     * NUL replaced by U+FFFD too.
     */
    public String text(int i) {
        String s = new String(data, start[i], length[i], StandardCharsets.UTF_8);
        return s.indexOf('\0') >= 0 ? s.replace('\0', REPLACEMENT) : s;
    }

    /** Whether a line's {@link #text} held undecodable bytes or NUL (both are U+FFFD there). */
    public static boolean hasInvalidBytes(String text) {
        return text.indexOf(REPLACEMENT) >= 0;
    }

    /** Whether a line is empty or white space only (such lines carry no record). */
    public static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
