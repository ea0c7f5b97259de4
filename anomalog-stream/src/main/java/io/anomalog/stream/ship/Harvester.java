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

    private final String fileKey;
    private final Pattern multilineStart;
    private final long multilineTimeoutMillis;
    private Path path;
    private FileChannel channel;
    private long offset;
    private long lastGrowthMillis = System.currentTimeMillis();
    private long lastSize = -1;

    Harvester(Path path, String fileKey, long offset, Pattern multilineStart, long multilineTimeoutMillis)
            throws IOException {
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
     * The complete entries after the resume point, at most {@code max}; does not move the resume point.
     *
     * @param flushAll also return a held-back final entry (the file is finished, e.g. rotated away)
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
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, size - offset));
        channel.read(buf, offset);
        buf.flip();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        // new String(..., UTF_8) replaces invalid bytes with U+FFFD like a REPLACE decoder, but takes the
        // intrinsic ASCII fast path: decoding was the shipper's largest cost per line.
        StringBuilder entry = null;
        long entryStart = -1;
        long entryEnd = -1;
        int lineStart = 0;
        boolean sawNewline = false;
        for (int i = 0; i < bytes.length && out.size() < max; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            sawNewline = true;
            int end = i > lineStart && bytes[i - 1] == '\r' ? i - 1 : i;
            String line = new String(bytes, lineStart, end - lineStart, StandardCharsets.UTF_8);
            long lineOffset = offset + lineStart;
            long nextOffset = offset + i + 1;
            lineStart = i + 1;
            if (multilineStart == null) {
                out.add(new LogEntry(line, lineOffset, nextOffset));
                continue;
            }
            if (entry != null && !multilineStart.matcher(line).find()) {
                entry.append('\n').append(line);
                entryEnd = nextOffset;
                continue;
            }
            if (entry != null) {
                out.add(new LogEntry(entry.toString(), entryStart, entryEnd));
            }
            entry = new StringBuilder(line);
            entryStart = lineOffset;
            entryEnd = nextOffset;
        }
        if (!sawNewline && bytes.length == CHUNK) {
            // A single line longer than the read chunk: ship the chunk as a cut line rather than stall forever.
            String line = new String(bytes, StandardCharsets.UTF_8);
            out.add(new LogEntry(line, offset, offset + bytes.length));
            return out;
        }
        if (entry != null && out.size() < max) {
            // The last entry may still grow (more stack-trace lines); ship it once the file has been quiet.
            boolean quiet = now - lastGrowthMillis >= multilineTimeoutMillis;
            boolean complete = entryEnd == size;
            // An entry longer than a read chunk is shipped in parts rather than stall the file.
            boolean oversized = out.isEmpty() && !complete && bytes.length == CHUNK;
            if (flushAll || (quiet && complete) || oversized) {
                out.add(new LogEntry(entry.toString(), entryStart, entryEnd));
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
