package io.anomalog.core.log;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * One log entry after its format split it: where it came from, when it was written, its host, level and
 * component when the format has them, every structured field (typed: JSON numbers stay numbers, nested objects
 * are flattened to dotted names), and the free-text content that template mining works on.
 *
 * <p>The timestamp is kept as the text the line had; {@link #time()} reads it as an instant with the format's
 * {@link TimeReader} only when asked, so that parsing, which rarely needs it, does not pay for it.
 */
public final class LogRecord {

    private final String source;
    private final long lineNumber;
    private final long offset;
    private final String host;
    private final String timestamp;
    private final TimeReader timeReader;
    private final String level;
    private final String component;
    private final Map<String, Object> fields;
    private final String content;
    private final String line;
    private final boolean headerMatched;
    private final boolean truncated;

    /**
     * @param source        where the line came from (file path, Kafka topic, "-" for standard input)
     * @param lineNumber    1-based line number within the source (for Kafka records: the record offset)
     * @param offset        byte offset of the line in its source file, or -1 when unknown
     * @param host          the host that wrote the line, or null when unknown
     * @param timestamp     the timestamp text as it appeared, or null
     * @param timeReader    how {@code timestamp} reads as an instant, or null when it cannot
     * @param level         the log level (INFO, WARN, ...) when the format has one, else null
     * @param component     the logger, class or service that wrote the line when the format has one, else null
     * @param fields        structured fields by name, in format order (never null); values are strings, longs,
     *                      doubles or booleans
     * @param content       the message part that template mining sees
     * @param line          the whole line as it was read (header and message), or null when unknown
     * @param headerMatched false when the line did not match its format; then content is the whole line
     * @param truncated     true when the line was longer than the configured cap and was cut
     */
    public LogRecord(String source, long lineNumber, long offset, String host, String timestamp, TimeReader timeReader,
                     String level, String component, Map<String, ?> fields, String content, String line,
                     boolean headerMatched, boolean truncated) {
        this.source = source;
        this.lineNumber = lineNumber;
        this.offset = offset;
        this.host = host;
        this.timestamp = timestamp;
        this.timeReader = timeReader;
        this.level = level;
        this.component = component;
        // a header format's field map is read-only already: wrapping it again would cost every line an object
        this.fields = fields == null || fields.isEmpty() ? Map.of()
                : fields instanceof FieldMap f ? f : Collections.unmodifiableMap(fields);
        this.content = content == null ? "" : content;
        this.line = line;
        this.headerMatched = headerMatched;
        this.truncated = truncated;
    }

    /** A line that did not fit its format: kept whole as content, with nothing else known. */
    public static LogRecord unmatched(String line, String source, long lineNumber, long offset, boolean truncated) {
        return new LogRecord(source, lineNumber, offset, null, null, null, null, null, Map.of(), line.strip(), line,
                false, truncated);
    }

    /** A record that is only content, for callers that have no header (tests, key files, plain messages). */
    public static LogRecord ofContent(String content) {
        return new LogRecord("-", 0, -1, null, null, null, null, null, Map.of(), content, content, true, false);
    }

    public String source() {
        return source;
    }

    public long lineNumber() {
        return lineNumber;
    }

    public long offset() {
        return offset;
    }

    public String host() {
        return host;
    }

    /** The timestamp text as the line wrote it, or null. */
    public String timestamp() {
        return timestamp;
    }

    /** The timestamp as an instant, or null when the line has none or it cannot be read. */
    public Instant time() {
        return timeReader == null ? null : timeReader.read(timestamp);
    }

    /** The reader that turns {@link #timestamp()} into {@link #time()}, or null. */
    public TimeReader timeReader() {
        return timeReader;
    }

    public String level() {
        return level;
    }

    public String component() {
        return component;
    }

    /** Every structured field, typed, in format order. */
    public Map<String, Object> fields() {
        return fields;
    }

    /** A field as text (numbers in their decimal form), or null when absent. */
    public String field(String name) {
        Object v = fields.get(name);
        return v == null ? null : v.toString();
    }

    public String content() {
        return content;
    }

    /** The whole line as it was read, header included (the content when the line is not known). */
    public String line() {
        return line != null ? line : content;
    }

    public boolean headerMatched() {
        return headerMatched;
    }

    public boolean truncated() {
        return truncated;
    }

    /** This record marked as cut by the line-length cap. */
    public LogRecord withTruncated() {
        return truncated ? this : new LogRecord(source, lineNumber, offset, host, timestamp, timeReader, level,
                component, fields, content, line, headerMatched, true);
    }

    /**
     * This record as collected from elsewhere: a Kafka topic and offset, or a shipper's file and byte offset; the
     * host given replaces the record's own only when the record has none.
     */
    public LogRecord withOrigin(String newSource, long newLineNumber, long newOffset, String collectorHost) {
        return new LogRecord(newSource, newLineNumber, newOffset, host != null ? host : collectorHost, timestamp,
                timeReader, level, component, fields, content, line, headerMatched, truncated);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord r && lineNumber == r.lineNumber && offset == r.offset
                && headerMatched == r.headerMatched && truncated == r.truncated && Objects.equals(source, r.source)
                && Objects.equals(host, r.host) && Objects.equals(timestamp, r.timestamp)
                && Objects.equals(level, r.level) && Objects.equals(component, r.component)
                && fields.equals(r.fields) && content.equals(r.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, lineNumber, offset, content);
    }

    @Override
    public String toString() {
        return "LogRecord[" + source + ":" + lineNumber + (host != null ? ", host " + host : "")
                + (timestamp != null ? ", " + timestamp : "") + (level != null ? ", " + level : "") + ", " + content
                + "]";
    }
}
