package io.anomalog.core.log;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Cuts raw bytes into lines, a {@link LineBatch} at a time, without decoding them: lines end at {@code \n}, a
 * trailing {@code \r} is dropped (CRLF files), a line longer than the cap keeps its first {@code maxLineBytes}
 * bytes and is marked cut (the rest of it is skipped), and a last line without a newline is a line. Each batch
 * reads straight into a fresh array, so its lines are never copied, and the batch can go to another thread.
 * Not thread-safe: one splitter per input.
 */
public final class LineSplitter {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final byte[] NONE = new byte[0];

    private final InputStream in;
    private final int maxLineBytes;
    private final int batchBytes;
    /** The start of a line whose newline has not been read yet. */
    private byte[] carry = NONE;
    private int carryLength;
    /** Bytes taken from the stream so far. */
    private long position;
    private long lines;
    /** Inside a line cut at the cap: bytes are dropped up to its newline. */
    private boolean skipping;
    private boolean eof;

    /**
     * @param batchBytes how many bytes to read for a batch (a batch holds the lines that end in them)
     */
    public LineSplitter(InputStream in, int maxLineBytes, int batchBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.batchBytes = Math.max(16, batchBytes);
    }

    /** Physical lines cut so far. */
    public long lines() {
        return lines;
    }

    /** Bytes of the input consumed so far (lines handed out and bytes skipped past a cap). */
    public long consumed() {
        return position - carryLength;
    }

    /** The next lines, or null at the end of the input. */
    public LineBatch next() throws IOException {
        return next(batchBytes);
    }

    /** The next lines, reading about {@code bytes} bytes for them; null at the end of the input. */
    public LineBatch next(int bytes) throws IOException {
        int read = Math.max(16, bytes);
        while (true) {
            if (eof && carryLength == 0) {
                return null;
            }
            // an unfinished line longer than a batch doubles the array, so a long line is copied a few times only
            byte[] data = new byte[carryLength + Math.max(read, carryLength)];
            System.arraycopy(carry, 0, data, 0, carryLength);
            long dataOffset = position - carryLength;
            int filled = carryLength + fill(data, carryLength);
            int pos = 0;
            if (skipping) {
                int nl = indexOfNewline(data, 0, filled);
                if (nl < 0) {
                    carryLength = 0;          // all of it lies past the cap of the cut line
                    continue;
                }
                skipping = false;
                pos = nl + 1;
            }
            LineBatch batch = new LineBatch(data, dataOffset, lines + 1, Math.max(16, (filled - pos) >>> 7));
            while (pos < filled) {
                int nl = indexOfNewline(data, pos, filled);
                if (nl < 0) {
                    break;
                }
                addLine(batch, pos, nl - pos);
                pos = nl + 1;
            }
            int rest = filled - pos;
            carryLength = 0;
            if (rest > 0) {
                if (eof) {
                    addLine(batch, pos, rest);               // the last line has no newline
                } else if (rest > maxLineBytes) {
                    batch.add(pos, maxLineBytes, true);      // cut now; its end is dropped as it comes
                    lines++;
                    skipping = true;
                } else {
                    if (carry.length < rest) {
                        carry = new byte[Math.max(rest, Math.min(read, maxLineBytes + 1))];
                    }
                    System.arraycopy(data, pos, carry, 0, rest);
                    carryLength = rest;
                }
            }
            batch.endPosition = position - carryLength;
            if (batch.size > 0) {
                return batch;
            }
        }
    }

    private void addLine(LineBatch batch, int from, int len) {
        lines++;
        if (len > maxLineBytes) {
            batch.add(from, maxLineBytes, true);
        } else {
            byte[] d = batch.data;
            batch.add(from, len > 0 && d[from + len - 1] == '\r' ? len - 1 : len, false);
        }
    }

    /**
     * Reads into {@code data} from {@code from}: until it is full, the input ends, or the input has nothing more
     * ready (so a pipe's lines are handed on as they come instead of waiting for a full batch).
     */
    private int fill(byte[] data, int from) throws IOException {
        int at = from;
        while (at < data.length) {
            int n = in.read(data, at, data.length - at);
            if (n < 0) {
                eof = true;
                break;
            }
            at += n;
            position += n;
            if (n == 0 || in.available() <= 0) {
                if (at > from) {
                    break;
                }
            }
        }
        return at - from;
    }

    /**
     * The first {@code \n} in {@code a[from, to)}, or -1: eight bytes at a time (a zero byte of {@code word ^
     * 0x0A..} is a newline; the lowest flagged byte is exact, as borrows only run upwards).
     */
    static int indexOfNewline(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(a, i) ^ NEWLINES;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
