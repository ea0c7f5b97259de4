package io.anomalog.stream.ship;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads one file from a byte offset, as Filebeat's harvester does: only complete lines (a line still being
 * written is left for the next read), lines joined into entries by a start pattern, and an entry held back until
 * the next entry starts or the file has been quiet for a while (a stack trace may still be growing).
 *
 * <p>The harvester keeps its file open, so a file that is renamed away (rotation) is still read to its end
 * through the open handle. It never moves its offset by itself: the shipper calls {@link #advanceTo} once the
 * broker has acknowledged what was read.
 */
public final class Harvester implements AutoCloseable {

    private static final int CHUNK = 1 << 20;
    /**
     * Entries are cut at this many bytes by default (256 KiB): a Kafka record is at most 1 MB on most brokers, and a
     * line's JSON encoding can be several times its size (quotes and control characters are escaped).
     */
    public static final int DEFAULT_MAX_LINE_BYTES = 256 * 1024;

    private final String fileKey;
    private final Pattern multilineStart;
    private final long multilineTimeoutMillis;
    private final int maxLineBytes;
    private Path path;
    private FileChannel channel;
    private long offset;
    private long lastGrowthMillis = System.currentTimeMillis();
    private long lastSize = -1;

    Harvester(Path path, String fileKey, long offset, Pattern multilineStart, long multilineTimeoutMillis)
            throws IOException {
        this(path, fileKey, offset, multilineStart, multilineTimeoutMillis, DEFAULT_MAX_LINE_BYTES);
    }

    Harvester(Path path, String fileKey, long offset, Pattern multilineStart, long multilineTimeoutMillis,
              int maxLineBytes) throws IOException {
        this.maxLineBytes = maxLineBytes;
        this.path = path;
        this.fileKey = fileKey;
        this.offset = offset;
        this.multilineStart = multilineStart;
        this.multilineTimeoutMillis = multilineTimeoutMillis;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
    }

    /** A stable identity of a file across renames: device and inode where the platform has them. */
    public static String fileKey(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        Object key = a.fileKey();
        return key != null ? key.toString() : path.toAbsolutePath().toString();
    }

    public String fileKey() {
        return fileKey;
    }

    public Path path() {
        return path;
    }

    void renamedTo(Path newPath) {
        this.path = newPath;
    }

    public long offset() {
        return offset;
    }

    /** Moves the resume point past entries the broker has acknowledged. */
    public void advanceTo(long newOffset) {
        this.offset = newOffset;
    }

    /** True when the file shrank below the resume point: it was truncated and is read again from the start. */
    boolean checkTruncated() throws IOException {
        if (channel.size() < offset) {
            offset = 0;
            return true;
        }
        return false;
    }

    /** True when everything up to the end of the file has been read and acknowledged. */
    boolean atEnd() throws IOException {
        return offset >= channel.size();
    }

    long idleMillis() {
        return System.currentTimeMillis() - lastGrowthMillis;
    }

    /**
     * The complete entries after the resume point, at most {@code max}; does not move the resume point. An entry
     * longer than the line cap is cut to it, marked truncated, and its remaining bytes are skipped.
     *
     * @param flushAll also return a held-back final entry and a last line without a line terminator (the file is
     *                 finished: rotated away, or {@code ship --once})
     */
    public List<LogEntry> read(int max, boolean flushAll) throws IOException {
        long size = channel.size();
        long now = System.currentTimeMillis();
        if (size != lastSize) {
            lastSize = size;
            lastGrowthMillis = now;
        }
        List<LogEntry> out = new ArrayList<>();
        if (size <= offset) {
            return out;
        }
        boolean quiet = now - lastGrowthMillis >= multilineTimeoutMillis;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, size - offset));
        channel.read(buf, offset);
        buf.flip();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        // new String(..., UTF_8) replaces invalid bytes with U+FFFD like a REPLACE decoder, but takes the
        // intrinsic ASCII fast path: decoding was the shipper's largest cost per line.
        Entry entry = null;
        int lineStart = 0;
        for (int i = 0; i < bytes.length && out.size() < max; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            int end = i > lineStart && bytes[i - 1] == '\r' ? i - 1 : i;
            long lineOffset = offset + lineStart;
            long nextOffset = offset + i + 1;
            boolean cut = end - lineStart > maxLineBytes;
            String line = decode(bytes, lineStart, Math.min(end - lineStart, maxLineBytes));
            lineStart = i + 1;
            if (multilineStart == null) {
                out.add(new LogEntry(line, lineOffset, nextOffset, cut));
                continue;
            }
            if (entry != null && !multilineStart.matcher(line).find()) {
                entry.append(line, cut, nextOffset, maxLineBytes);
                continue;
            }
            if (entry != null) {
                out.add(entry.toEntry());
            }
            entry = new Entry(line, cut, lineOffset, nextOffset);
        }
        if (lineStart == 0 && out.isEmpty() && entry == null && bytes.length == CHUNK) {
            // one line longer than a read chunk: cut it, and skip to its end (or wait for its end to be written)
            LogEntry longLine = longLine(bytes, size, flushAll || quiet);
            if (longLine != null) {
                out.add(longLine);
            }
            return out;
        }
        if (entry != null && out.size() < max) {
            // The last entry may still grow (more stack-trace lines); ship it once the file has been quiet.
            boolean complete = entry.end == size;
            // An entry longer than a read chunk is shipped in parts rather than stall the file.
            boolean oversized = out.isEmpty() && !complete && bytes.length == CHUNK;
            if (flushAll || (quiet && complete) || oversized) {
                out.add(entry.toEntry());
            }
        } else if (flushAll && out.size() < max && lineStart < bytes.length && offset + bytes.length == size) {
            // the file's last line has no line terminator: nothing more will come in this run
            int end = bytes.length;
            boolean cut = end - lineStart > maxLineBytes;
            out.add(new LogEntry(decode(bytes, lineStart, Math.min(end - lineStart, maxLineBytes)),
                    offset + lineStart, size, cut));
        }
        return out;
    }

    /**
     * A line longer than the read chunk, which starts at the resume point: its first {@code maxLineBytes}, and the
     * offset past its end, found by scanning on; null when its end is not written yet and the file may still grow.
     */
    private LogEntry longLine(byte[] head, long size, boolean finished) throws IOException {
        long pos = offset + head.length;
        ByteBuffer b = ByteBuffer.allocate(CHUNK);
        while (pos < size) {
            b.clear();
            int n = channel.read(b, pos);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (b.get(i) == '\n') {
                    return new LogEntry(decode(head, 0, Math.min(head.length, maxLineBytes)), offset, pos + i + 1, true);
                }
            }
            pos += n;
        }
        return finished ? new LogEntry(decode(head, 0, Math.min(head.length, maxLineBytes)), offset, size, true) : null;
    }

    /** UTF-8 text of a line, cut at a character boundary when the cut falls inside a character. */
    private static String decode(byte[] bytes, int from, int length) {
        int end = from + length;
        // step back over continuation bytes so a cut never leaves half a character (which would decode as U+FFFD)
        if (end < bytes.length && length > 0 && (bytes[end] & 0xC0) == 0x80) {
            int e = end;
            while (e > from && (bytes[e] & 0xC0) == 0x80) {
                e--;
            }
            end = e;
        }
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }

    /** A multi-line entry being joined: its text (at most the cap), whether it was cut, and its byte range. */
    private static final class Entry {
        final StringBuilder text;
        boolean cut;
        final long start;
        long end;

        Entry(String first, boolean cut, long start, long end) {
            this.text = new StringBuilder(first);
            this.cut = cut;
            this.start = start;
            this.end = end;
        }

        void append(String line, boolean lineCut, long newEnd, int cap) {
            end = newEnd;
            if (text.length() + 1 + line.length() > cap) {
                int room = Math.max(0, cap - text.length() - 1);
                if (room > 0) {
                    text.append('\n').append(line, 0, room);
                }
                cut = true;
            } else {
                text.append('\n').append(line);
                cut |= lineCut;
            }
        }

        LogEntry toEntry() {
            return new LogEntry(text.toString(), start, end, cut);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
