package io.anomalog.core.log;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON lines: one JSON object per line. The message field becomes the content; Filebeat-style fields
 * ({@code @timestamp}, {@code host.name}, {@code log.file.path}, {@code log.offset}) fill the record when present,
 * written either nested ({@code {"host":{"name":..}}}) or with dotted keys ({@code {"host.name":..}}).
 * A line that is not a JSON object, or has no message field, is kept whole as content and marked unmatched.
 */
public final class JsonFormat implements LogFormat {

    private static final List<String> FIELDS = List.of("@timestamp", "host.name", "log.file.path", "log.offset");

    private final String name;
    private final String messageField;

    private JsonFormat(String name, String messageField) {
        this.name = name;
        this.messageField = messageField;
    }

    /** Filebeat events: message in {@code message}. */
    public static JsonFormat filebeat() {
        return new JsonFormat("filebeat", "message");
    }

    /** Generic JSON lines with the message in the given field (a dotted path reaches into nested objects). */
    public static JsonFormat withMessageField(String messageField) {
        return new JsonFormat("json", messageField);
    }

    public String messageField() {
        return messageField;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> fieldNames() {
        return FIELDS;
    }

    @Override
    public LogRecord parse(String line, String source, long lineNumber, long offset) {
        return parse(line, source, lineNumber, offset, false);
    }

    public LogRecord parse(String line, String source, long lineNumber, long offset, boolean truncated) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (Exception e) {
            node = null;
        }
        JsonNode message = node == null || !node.isObject() ? null : path(node, messageField);
        if (message == null || message.isNull() || message.isContainerNode()) {
            return new LogRecord(source, lineNumber, offset, null, null, Map.of(), line.strip(), false, truncated);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String f : FIELDS) {
            JsonNode v = path(node, f);
            if (v != null && !v.isNull() && !v.isContainerNode()) {
                fields.put(f, v.asText());
            }
        }
        String file = fields.get("log.file.path");
        String off = fields.get("log.offset");
        long fileOffset = offset;
        if (off != null) {
            try {
                fileOffset = Long.parseLong(off);
            } catch (NumberFormatException ignored) {
                // keep the position in the input
            }
        }
        return new LogRecord(file != null ? file : source, lineNumber, fileOffset, fields.get("host.name"),
                fields.get("@timestamp"), fields, message.asText(), true, truncated);
    }

    /** Reads {@code a.b.c} as a literal key first, then as nested objects. */
    private static JsonNode path(JsonNode node, String dotted) {
        JsonNode direct = node.get(dotted);
        if (direct != null) {
            return direct;
        }
        JsonNode cur = node;
        for (String part : dotted.split("\\.")) {
            if (cur == null || !cur.isObject()) {
                return null;
            }
            cur = cur.get(part);
        }
        return cur;
    }

    @Override
    public String toString() {
        return name + " (message field " + messageField + ")";
    }
}
