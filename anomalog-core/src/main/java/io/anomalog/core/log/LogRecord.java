package io.anomalog.core.log;

import java.util.Collections;
import java.util.Map;

/**
 * One log entry after its header was split off: where it came from, the header fields, and the free-text
 * content that template mining works on.
 *
 * @param source        where the line came from (file path, Kafka topic, "-" for standard input)
 * @param lineNumber    1-based line number within the source (for JSON events: the event's position)
 * @param offset        byte offset of the line in its source file, or -1 when unknown
 * @param host          the host that wrote the line, or null when the format carries none
 * @param timestamp     the timestamp text as it appeared, or null
 * @param fields        header fields by name, in header order (never null)
 * @param content       the message part that template mining sees
 * @param headerMatched false when the line did not match its format; then content is the whole line
 * @param truncated     true when the line was longer than the configured cap and was cut
 */
public record LogRecord(String source, long lineNumber, long offset, String host, String timestamp,
                        Map<String, String> fields, String content, boolean headerMatched, boolean truncated) {

    public LogRecord {
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(fields);
        content = content == null ? "" : content;
    }

    /** A record that is only content, for callers that have no header (tests, key files, plain messages). */
    public static LogRecord ofContent(String content) {
        return new LogRecord("-", 0, -1, null, null, Map.of(), content, true, false);
    }

    public String field(String name) {
        return fields.get(name);
    }
}
