package io.anomalog.core.log;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON lines: one JSON object per line. The message field becomes the content; every other field is kept,
 * typed (integers as {@code Long}, other numbers as {@code Double}, booleans, strings; arrays as lists), with
 * nested objects flattened to dotted names ({@code {"http":{"status":503}}} gives {@code http.status = 503}).
 *
 * <p>The usual names fill the record's parts, whichever a producer uses: time from {@code @timestamp},
 * {@code timestamp}, {@code time} or {@code ts} (ISO-8601 or epoch); host from {@code host.name}, {@code hostname}
 * or {@code host}; level from {@code level}, {@code log.level}, {@code severity} or {@code lvl}; component from
 * {@code component}, {@code logger}, {@code logger_name}, {@code service}, {@code service.name} or {@code module};
 * Filebeat's {@code log.file.path} and {@code log.offset} give the source and byte offset. Keys may be written
 * nested or dotted ({@code {"host.name":..}}).
 *
 * <p>A line that is not a JSON object is kept whole as content and marked unmatched. An object without a usable
 * message field keeps its fields, is marked unmatched and has the whole line as content.
 */
public final class JsonFormat implements LogFormat {

    private static final List<String> FIELDS = List.of("@timestamp", "host.name", "log.file.path", "log.offset");
    private static final String[] TIME = {"@timestamp", "timestamp", "time", "ts", "datetime"};
    private static final String[] HOST = {"host.name", "hostname", "host"};
    private static final String[] LEVEL = {"level", "log.level", "severity", "lvl", "loglevel"};
    private static final String[] COMPONENT = {"component", "logger", "logger_name", "service", "service.name",
            "module"};
    /** Deeper nesting is kept as the nested object's JSON text: no real log event nests this deep. */
    private static final int MAX_DEPTH = 32;

    private final String name;
    private final String messageField;
    private final TimeReader timeReader;

    private JsonFormat(String name, String messageField, TimeReader timeReader) {
        this.name = name;
        this.messageField = messageField;
        this.timeReader = timeReader;
    }

    /** Filebeat events: message in {@code message}. */
    public static JsonFormat filebeat() {
        return new JsonFormat("filebeat", "message", TimeReader.auto());
    }

    /** Generic JSON lines with the message in the given field (a dotted path reaches into nested objects). */
    public static JsonFormat withMessageField(String messageField) {
        return new JsonFormat("json", messageField, TimeReader.auto());
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
    public TimeReader timeReader() {
        return timeReader;
    }

    @Override
    public JsonFormat withTimeReader(TimeReader reader) {
        return new JsonFormat(name, messageField, reader);
    }

    @Override
    public LogRecord parse(String line, String source, long lineNumber, long offset) {
        return parse(line, source, lineNumber, offset, false);
    }

    public LogRecord parse(String line, String source, long lineNumber, long offset, boolean truncated) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (Exception e) {     // not JSON, too deep, too long a number: kept whole, as any unmatched line
            node = null;
        }
        if (node == null || !node.isObject()) {
            return LogRecord.unmatched(line, source, lineNumber, offset, truncated);
        }
        JsonNode message = path(node, messageField);
        boolean usable = message != null && !message.isNull() && !message.isContainerNode();
        Map<String, Object> fields = new LinkedHashMap<>();
        flatten("", node, fields, 0);
        if (usable) {
            fields.remove(messageField);
        }
        String file = text(fields, "log.file.path");
        long fileOffset = offset;
        Object off = fields.get("log.offset");
        if (off instanceof Long l) {
            fileOffset = l;
        }
        String timestamp = text(fields, TIME);
        return new LogRecord(file != null ? file : source, lineNumber, fileOffset, text(fields, HOST), timestamp,
                timestamp == null ? null : timeReader, text(fields, LEVEL), text(fields, COMPONENT), fields,
                usable ? message.asText() : line.strip(), line, usable, truncated);
    }

    /** The first of the names that holds a scalar, as text. */
    private static String text(Map<String, Object> fields, String... names) {
        for (String n : names) {
            Object v = fields.get(n);
            if (v != null && !(v instanceof List)) {
                return v.toString();
            }
        }
        return null;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> out, int depth) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject() && depth < MAX_DEPTH) {
                flatten(key, v, out, depth + 1);
            } else if (v.isArray()) {
                List<Object> list = new ArrayList<>(v.size());
                v.forEach(x -> list.add(x.isContainerNode() ? x.toString() : scalar(x)));
                out.put(key, list);
            } else if (!v.isNull()) {
                out.put(key, v.isContainerNode() ? v.toString() : scalar(v));
            }
        }
    }

    /** A JSON scalar as the Java value detectors read: Long, Double, Boolean or String. */
    static Object scalar(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? (Object) v.longValue() : (Object) v.doubleValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.isNull() ? null : v.asText();
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
