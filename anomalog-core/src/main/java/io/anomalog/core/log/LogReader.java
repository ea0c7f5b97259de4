package io.anomalog.core.log;

import io.anomalog.core.io.TextFiles;
import io.anomalog.core.util.AnomalogException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams {@link LogRecord}s out of raw bytes: splits lines at {@code \n} (a trailing {@code \r} is dropped),
 * cuts lines longer than the cap (the rest of the line is skipped and the record marked truncated), decodes
 * UTF-8 (invalid bytes and NUL become U+FFFD, counted) and applies the log format. Empty lines are skipped and
 * counted. Byte-level, so ASCII lines cost one copy and no decoder.
 *
 * <pre>{@code
 * try (LogReader reader = LogReader.builder().format(LogFormats.byName("hdfs")).open(path)) {
 *     reader.forEachRemaining(record -> ...);
 *     LogReader.Stats stats = reader.stats();
 * }
 * }</pre>
 *
 * Not thread-safe: one reader per input.
 */
public final class LogReader implements Iterator<LogRecord>, Closeable {

    /** Default cap on the bytes of one line (1 MiB). */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    private static final char REPLACEMENT = '\uFFFD';

    private final InputStream in;
    private final String source;
    private final LogFormat format;
    private final int maxLineBytes;
    private final boolean skipEmpty;
    private final byte[] buf = new byte[1 << 16];
    private int bufPos;
    private int bufLen;
    private byte[] line = new byte[1024];
    private long position;          // byte offset of the next unread byte
    private long lineNumber;
    private LogRecord next;
    private boolean eof;
    private final Stats stats = new Stats();

    private LogReader(InputStream in, String source, LogFormat format, int maxLineBytes, boolean skipEmpty) {
        this.in = in;
        this.source = source;
        this.format = format;
        this.maxLineBytes = maxLineBytes;
        this.skipEmpty = skipEmpty;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Opens a file with a format and the default line cap: {@code LogReader.open(path, LogFormats.byName("hdfs"))}. */
    public static LogReader open(Path file, LogFormat format) {
        return builder().format(format).open(file);
    }

    /** Counts of what the reader met; read them after (or while) consuming. */
    public static final class Stats {
        long lines;
        long records;
        long empty;
        long truncated;
        long invalidBytes;
        long headerMismatches;
        long bytes;

        /** Physical lines read, empty ones included. */
        public long lines() {
            return lines;
        }

        /** Records produced. */
        public long records() {
            return records;
        }

        public long emptyLines() {
            return empty;
        }

        public long truncatedLines() {
            return truncated;
        }

        /** Lines that held invalid UTF-8 or NUL bytes (replaced by U+FFFD). */
        public long linesWithInvalidBytes() {
            return invalidBytes;
        }

        public long headerMismatches() {
            return headerMismatches;
        }

        public long bytes() {
            return bytes;
        }
    }

    /** Configures and opens readers. */
    public static final class Builder {
        private LogFormat format = LogFormats.raw();
        private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
        private boolean skipEmpty = true;

        public Builder format(LogFormat format) {
            this.format = format;
            return this;
        }

        /** Lines longer than this many bytes are cut (and counted as truncated). */
        public Builder maxLineBytes(int maxLineBytes) {
            if (maxLineBytes < 16) {
                throw new AnomalogException("the line cap must be at least 16 bytes, got " + maxLineBytes);
            }
            this.maxLineBytes = maxLineBytes;
            return this;
        }

        /** Whether empty (or blank) lines are skipped (default) or produced as records with empty content. */
        public Builder skipEmpty(boolean skipEmpty) {
            this.skipEmpty = skipEmpty;
            return this;
        }

        /** Opens a file ({@code .gz} decompressed); a missing or unreadable file is an {@link AnomalogException}. */
        public LogReader open(Path file) {
            return new LogReader(TextFiles.open(file), file.toString(), format, maxLineBytes, skipEmpty);
        }

        /** Reads a stream; {@code source} names it in records ("-" for standard input). */
        public LogReader open(InputStream in, String source) {
            return new LogReader(in, source, format, maxLineBytes, skipEmpty);
        }
    }

    public Stats stats() {
        return stats;
    }

    public LogFormat format() {
        return format;
    }

    /** What the input is called in messages (its path, or "-"). */
    public String source() {
        return source;
    }

    /** The remaining records as a sequential stream (close the reader when done). */
    public Stream<LogRecord> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !eof) {
            next = readRecord();
        }
        return next != null;
    }

    @Override
    public LogRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        LogRecord r = next;
        next = null;
        return r;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LogRecord readRecord() {
        try {
            while (true) {
                long start = position;
                int len = readLine();
                if (len < 0) {
                    eof = true;
                    return null;
                }
                lineNumber++;
                stats.lines++;
                boolean truncated = len > maxLineBytes;
                if (truncated) {
                    stats.truncated++;
                    len = maxLineBytes;
                }
                if (len > 0 && line[len - 1] == '\r' && !truncated) {
                    len--;
                }
                String text = decode(len);
                if (isBlank(text)) {
                    stats.empty++;
                    if (skipEmpty) {
                        continue;
                    }
                }
                LogRecord r = format.parse(text, source, lineNumber, start);
                if (truncated) {
                    r = r.withTruncated();
                }
                if (!r.headerMatched()) {
                    stats.headerMismatches++;
                }
                stats.records++;
                return r;
            }
        } catch (IOException e) {
            throw new AnomalogException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads one line into {@link #line}, keeping at most maxLineBytes + 1 bytes (the extra byte only signals
     * that the line was longer). Returns the line length (capped at maxLineBytes + 1) or -1 at end of input.
     */
    private int readLine() throws IOException {
        int len = 0;
        boolean any = false;
        while (true) {
            if (bufPos >= bufLen) {
                bufLen = in.read(buf, 0, buf.length);
                bufPos = 0;
                if (bufLen <= 0) {
                    bufLen = 0;
                    return any ? len : -1;
                }
            }
            any = true;
            int i = bufPos;
            int end = bufLen;
            while (i < end && buf[i] != '\n') {
                i++;
            }
            int chunk = i - bufPos;
            int room = maxLineBytes + 1 - len;
            int keep = Math.min(chunk, room);
            if (keep > 0) {
                if (len + keep > line.length) {
                    line = java.util.Arrays.copyOf(line, Math.max(len + keep, Math.min(line.length * 2, maxLineBytes + 1)));
                }
                System.arraycopy(buf, bufPos, line, len, keep);
                len += keep;
            }
            position += chunk;
            stats.bytes += chunk;
            if (i < end) {          // found the newline
                bufPos = i + 1;
                position++;
                stats.bytes++;
                return len;
            }
            bufPos = end;
        }
    }

    /**
     * UTF-8 decoding via the JDK's intrinsic (ASCII runs are copied in bulk); malformed bytes become U+FFFD.
     * A line with U+FFFD or NUL is counted as one with invalid bytes, and NUL is replaced too.
     */
    private String decode(int len) {
        String s = new String(line, 0, len, StandardCharsets.UTF_8);
        boolean nul = s.indexOf('\0') >= 0;
        if (nul || s.indexOf(REPLACEMENT) >= 0) {
            stats.invalidBytes++;
            if (nul) {
                s = s.replace('\0', REPLACEMENT);
            }
        }
        return s;
    }
}
