package io.anomalog.core.log;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;

import java.util.ArrayList;
import java.util.Arrays;
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
        // read token by token into one pair of arrays: a tree of nodes and then a map of its flattened copy held
        // every field twice, and a lookup by the parser's own name objects is a scan by identity
        Flat flat = new Flat(messageField);
        try (JsonParser p = Json.MAPPER.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return LogRecord.unmatched(line, source, lineNumber, offset, truncated);
            }
            readObject(p, "", flat, 0);
        } catch (Exception e) {     // not JSON, too deep, too long a number: kept whole, as any unmatched line
            return LogRecord.unmatched(line, source, lineNumber, offset, truncated);
        }
        Object message = flat.message();
        Map<String, Object> fields = flat.fields(message != null);
        String file = text(fields, "log.file.path");
        long fileOffset = offset;
        Object off = fields.get("log.offset");
        if (off instanceof Long l) {
            fileOffset = l;
        }
        String timestamp = text(fields, TIME);
        return new LogRecord(file != null ? file : source, lineNumber, fileOffset, text(fields, HOST), timestamp,
                timestamp == null ? null : timeReader, text(fields, LEVEL), text(fields, COMPONENT), fields,
                message != null ? message.toString() : line.strip(), line, message != null, truncated);
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

    /** Reads the object the parser has just entered, with nested objects flattened to dotted names. */
    private static void readObject(JsonParser p, String prefix, Flat out, int depth) throws java.io.IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            JsonToken t = p.nextToken();
            switch (t) {
                case START_OBJECT -> {
                    if (depth < MAX_DEPTH) {
                        readObject(p, key, out, depth + 1);
                    } else {
                        out.put(key, p.readValueAsTree().toString(), true);
                    }
                }
                case START_ARRAY -> {
                    JsonNode v = p.readValueAsTree();
                    List<Object> list = new ArrayList<>(v.size());
                    v.forEach(x -> list.add(x.isContainerNode() ? x.toString() : scalar(x)));
                    out.put(key, list, true);
                }
                case VALUE_NULL -> {
                }
                case VALUE_STRING -> out.put(key, p.getText(), false);
                case VALUE_NUMBER_INT -> out.put(key, p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) p.getDoubleValue() : (Object) p.getLongValue(), false);
                case VALUE_NUMBER_FLOAT -> out.put(key, p.getDoubleValue(), false);
                case VALUE_TRUE -> out.put(key, Boolean.TRUE, false);
                case VALUE_FALSE -> out.put(key, Boolean.FALSE, false);
                default -> out.put(key, p.getText(), false);
            }
        }
    }

    /**
     * One line's fields as they are read, in the line's order; a name given twice keeps its first place and its
     * last value, as a JSON object does.
     */
    private static final class Flat {
        private final String messageField;
        private String[] names = new String[16];
        private Object[] values = new Object[16];
        private int n;
        private int messageAt = -1;
        private boolean messageContainer;

        Flat(String messageField) {
            this.messageField = messageField;
        }

        void put(String key, Object value, boolean container) {
            int h = key.hashCode();
            int at = -1;
            for (int i = 0; i < n; i++) {
                if (names[i] == key || names[i].hashCode() == h && names[i].equals(key)) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                if (n == names.length) {
                    names = Arrays.copyOf(names, n * 2);
                    values = Arrays.copyOf(values, n * 2);
                }
                at = n++;
                names[at] = key;
            }
            values[at] = value;
            if (key.equals(messageField)) {
                messageAt = at;
                messageContainer = container;
            }
        }

        /** The message field's scalar value, or null where it is missing, null or an array or object. */
        Object message() {
            return messageAt < 0 || messageContainer ? null : values[messageAt];
        }

        /** The fields, without the message field where it is the content. */
        Map<String, Object> fields(boolean withoutMessage) {
            int skip = withoutMessage ? messageAt : -1;
            int size = skip < 0 ? n : n - 1;
            if (size == 0) {
                return Map.of();
            }
            String[] k = new String[size];
            Object[] v = new Object[size];
            for (int i = 0, j = 0; i < n; i++) {
                if (i != skip) {
                    k[j] = names[i];
                    v[j++] = values[i];
                }
            }
            return new FieldMap(k, v);
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

    @Override
    public String toString() {
        return name + " (message field " + messageField + ")";
    }
}
