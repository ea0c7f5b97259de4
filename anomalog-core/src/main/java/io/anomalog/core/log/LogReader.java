package io.anomalog.core.log;

import io.anomalog.core.io.TextFiles;
import io.anomalog.core.util.AnomalogException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams {@link LogRecord}s out of raw bytes: {@link LineSplitter} splits lines at {@code \n} (a trailing
 * {@code \r} is dropped) and cuts lines longer than the cap (the rest of the line is skipped and the record marked
 * truncated); each line is decoded from UTF-8 (invalid bytes and NUL become U+FFFD, counted) and goes through the
 * log format. Empty lines are skipped and counted. Byte-level, so ASCII lines cost one copy and no decoder.
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

    /** Bytes read at a time: small enough that a pipe's lines come through as they are written. */
    private static final int READ_BYTES = 1 << 16;

    private final InputStream in;
    private final String source;
    private final LogFormat format;
    private final boolean skipEmpty;
    private final LineSplitter splitter;
    private LineBatch batch;
    private int index;
    private LogRecord next;
    private boolean eof;
    private final Stats stats = new Stats();

    private LogReader(InputStream in, String source, LogFormat format, int maxLineBytes, boolean skipEmpty) {
        this.in = in;
        this.source = source;
        this.format = format;
        this.skipEmpty = skipEmpty;
        this.splitter = new LineSplitter(in, maxLineBytes, READ_BYTES);
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
                if (batch == null || index >= batch.size()) {
                    batch = splitter.next();
                    index = 0;
                    stats.bytes = splitter.consumed();
                    if (batch == null) {
                        eof = true;
                        return null;
                    }
                }
                LogRecord r = record(batch, index++, format, source, skipEmpty, stats);
                if (r != null) {
                    return r;
                }
            }
        } catch (IOException e) {
            throw new AnomalogException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Line {@code i} of a batch through a format, counted into {@code stats} as a reader counts it (so lines split
     * on other threads count the same): its record, or null for an empty line that is skipped.
     */
    public static LogRecord record(LineBatch batch, int i, LogFormat format, String source, boolean skipEmpty,
                                   Stats stats) {
        stats.lines++;
        boolean truncated = batch.truncated(i);
        if (truncated) {
            stats.truncated++;
        }
        String text = batch.text(i);
        if (LineBatch.hasInvalidBytes(text)) {
            stats.invalidBytes++;
        }
        if (LineBatch.isBlank(text)) {
            stats.empty++;
            if (skipEmpty) {
                return null;
            }
        }
        LogRecord r = format.parse(text, source, batch.lineNumber(i), batch.offset(i));
        if (truncated) {
            r = r.withTruncated();
        }
        if (!r.headerMatched()) {
            stats.headerMismatches++;
        }
        stats.records++;
        return r;
    }
}
