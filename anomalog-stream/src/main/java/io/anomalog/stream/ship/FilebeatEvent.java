package io.anomalog.stream.ship;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;

import java.io.ByteArrayOutputStream;

import java.io.IOException;
import java.time.Instant;

/**
 * A log event in the JSON shape Filebeat publishes: {@code message}, {@code @timestamp}, {@code host.name},
 * {@code log.file.path}, {@code log.offset}. Reading accepts both Filebeat's nested objects
 * ({@code {"host":{"name":...}}}) and flat dotted keys ({@code {"host.name":...}}).
 *
 * @param message   the log entry
 * @param timestamp when it was read (ISO-8601)
 * @param host      the host that wrote it, or null
 * @param path      the file it came from, or null
 * @param offset    byte offset in that file, or -1
 */
public record FilebeatEvent(String message, String timestamp, String host, String path, long offset) {

    /** Streaming reader and writer: one event per log line, so no tree model is built on either side. */
    private static final JsonFactory JSON = Json.MAPPER.getFactory();

    /**
     * Whether this is a collector's envelope around a log line (Filebeat's or a shipper's: it says which file and
     * where), rather than an application's own JSON event that happens to have a {@code message}.
     */
    public boolean isEnvelope() {
        return path != null || offset >= 0;
    }

    public byte[] toJson() {
        try (Writer w = new Writer()) {
            return w.toJson(this);
        }
    }

    /**
     * Writes many events with one reused generator and buffer (the shipper writes one per log line); not
     * thread-safe.
     */
    public static final class Writer implements AutoCloseable {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        private final JsonGenerator g;

        public Writer() {
            try {
                g = JSON.createGenerator(bytes);
                g.setRootValueSeparator(null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public byte[] toJson(FilebeatEvent e) {
            return toJson(e, false);
        }

        /**
         * @param truncated the entry was cut at the line cap: marked as Filebeat marks it, {@code log.flags:
         *                  ["truncated"]}
         */
        public byte[] toJson(FilebeatEvent e, boolean truncated) {
            bytes.reset();
            try {
                g.writeStartObject();
                g.writeStringField("@timestamp", e.timestamp);
                g.writeStringField("message", e.message);
                if (e.host != null) {
                    g.writeObjectFieldStart("host");
                    g.writeStringField("name", e.host);
                    g.writeEndObject();
                }
                g.writeObjectFieldStart("log");
                if (e.path != null) {
                    g.writeObjectFieldStart("file");
                    g.writeStringField("path", e.path);
                    g.writeEndObject();
                }
                g.writeNumberField("offset", e.offset);
                if (truncated) {
                    g.writeArrayFieldStart("flags");
                    g.writeString("truncated");
                    g.writeEndArray();
                }
                g.writeEndObject();
                g.writeObjectFieldStart("agent");
                g.writeStringField("type", AGENT_TYPE);
                g.writeEndObject();
                g.writeEndObject();
                g.flush();
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
            return bytes.toByteArray();
        }

        @Override
        public void close() {
            try {
                g.close();
            } catch (IOException e) {
                // an in-memory buffer cannot fail to close
            }
        }
    }

    /**
     * How often a shipper with nothing to ship sends a heartbeat. The detector relies on it: a longer silence of a
     * host that sends heartbeats means its shipper could not ship (see the detector's host clocks).
     */
    public static final long HEARTBEAT_MILLIS = 1_000;

    /** The start of a shipper's heartbeat record: a fixed prefix, so the detector recognises it without parsing. */
    private static final String HEARTBEAT_PREFIX = "{\"anomalog\":{\"heartbeat\":true}";
    private static final byte[] HEARTBEAT_BYTES = HEARTBEAT_PREFIX.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * A heartbeat: a record a shipper with nothing to ship sends to its host's topic, so the detector's clock for
     * that host goes on while it is quiet (and stops while it cannot be reached). It carries no log line.
     */
    public static byte[] heartbeat(String host, String timestamp) {
        return signal(HEARTBEAT_PREFIX, host, timestamp);
    }

    /** A signal record: its fixed prefix, then the time and host. */
    private static byte[] signal(String prefix, String host, String timestamp) {
        return (prefix + ",\"@timestamp\":\"" + timestamp + "\",\"host\":{\"name\":" + quote(host) + "}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The agent type {@code anomalog ship} writes into every record, last. */
    private static final String AGENT_TYPE = "anomalog-ship";
    /** How every record of {@code anomalog ship} ends: its agent. */
    private static final byte[] SHIP_SUFFIX = (",\"agent\":{\"type\":\"" + AGENT_TYPE + "\"}}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * Whether a record is a line shipped by {@code anomalog ship}, which also sends heartbeats (read from its
     * fixed ending, without parsing): the detector then knows the host's clock from the first such line, even
     * before the first heartbeat after a restart.
     */
    public static boolean isFromShipper(byte[] value) {
        if (value == null || value.length < SHIP_SUFFIX.length) {
            return false;
        }
        return java.util.Arrays.equals(value, value.length - SHIP_SUFFIX.length, value.length, SHIP_SUFFIX, 0,
                SHIP_SUFFIX.length);
    }

    /** The start of the record a shipper sends when it stops cleanly. */
    private static final String STOPPED_PREFIX = "{\"anomalog\":{\"stopped\":true}";
    private static final byte[] STOPPED_BYTES = STOPPED_PREFIX.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * The record a shipper sends when it stops cleanly (Ctrl-C, SIGTERM, the end of {@code ship --once}): its
     * heartbeats end here, so the detector again closes the host's last sessions after a quiet time of wall clock
     * instead of waiting for a shipper that is not coming back. A shipper that crashes sends none, and its host's
     * sessions wait for it, as they wait through an outage.
     */
    public static byte[] stopped(String host, String timestamp) {
        return signal(STOPPED_PREFIX, host, timestamp);
    }

    /** Whether a record is a shipper's stop record. */
    public static boolean isStopped(byte[] value) {
        return startsWith(value, STOPPED_BYTES);
    }

    /**
     * Whether a record is one of a shipper's signals (a heartbeat or its stop record) rather than a line: what a
     * reader of {@code logs.<host>} counting lines leaves out.
     */
    public static boolean isSignal(byte[] value) {
        return isHeartbeat(value) || isStopped(value);
    }

    /** Whether a record is a shipper's heartbeat. */
    public static boolean isHeartbeat(byte[] value) {
        return startsWith(value, HEARTBEAT_BYTES);
    }

    private static boolean startsWith(byte[] value, byte[] prefix) {
        return value != null && value.length >= prefix.length
                && java.util.Arrays.equals(value, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static String quote(String s) {
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An event read now; the shipper passes one timestamp for a whole batch with {@link #of(String, String, String, String, long)}. */
    public static FilebeatEvent of(String message, String host, String path, long offset) {
        return new FilebeatEvent(message, Instant.now().toString(), host, path, offset);
    }

    public static FilebeatEvent of(String message, String timestamp, String host, String path, long offset) {
        return new FilebeatEvent(message, timestamp, host, path, offset);
    }

    /**
     * Reads an event from its JSON bytes with the streaming parser (the detector's per-record path), with the
     * same meaning as {@link #parse(JsonNode)}: flat dotted keys win over nested objects.
     *
     * @throws IOException              when the bytes are not one JSON object
     * @throws IllegalArgumentException when the JSON has no usable {@code message}
     */
    public static FilebeatEvent parse(byte[] json) throws IOException {
        Fields flat = new Fields();
        Fields nested = new Fields();
        String message = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "message" -> message = v == JsonToken.VALUE_STRING ? p.getText() : skip(p);
                    case "@timestamp" -> flat.timestamp = scalar(p, v);
                    case "host" -> readNested(p, v, "host", nested);
                    case "log" -> readNested(p, v, "log", nested);
                    default -> flat.read(p, v, name);
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new IOException("JSON object not closed");
            }
        }
        if (message == null) {
            throw new IllegalArgumentException("JSON event has no text field 'message'");
        }
        return new FilebeatEvent(message, flat.timestamp, flat.host != null ? flat.host : nested.host,
                flat.path != null ? flat.path : nested.path, flat.offsetSet ? flat.offset : nested.offset);
    }

    /** The optional fields, as found either flat or nested. */
    private static final class Fields {
        String timestamp;
        String host;
        String path;
        long offset = -1;
        boolean offsetSet;

        void read(JsonParser p, JsonToken v, String dotted) throws IOException {
            switch (dotted) {
                case "host.name" -> host = scalar(p, v);
                case "log.file.path" -> path = scalar(p, v);
                case "log.offset" -> {
                    offsetSet = true;
                    offset = number(p, v);
                }
                default -> p.skipChildren();
            }
        }
    }

    /** {@code host: {name}}, {@code log: {offset, file: {path}}}; other fields are skipped unread. */
    private static void readNested(JsonParser p, JsonToken v, String object, Fields out) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (object) {
                case "host" -> out.read(p, t, name.equals("name") ? "host.name" : "");
                case "log" -> {
                    if (name.equals("file")) {
                        readNested(p, t, "log.file", out);
                    } else {
                        out.read(p, t, name.equals("offset") ? "log.offset" : "");
                    }
                }
                default -> out.read(p, t, name.equals("path") ? "log.file.path" : "");
            }
        }
    }

    private static String skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    /** A scalar's text, or null for null, objects and arrays (which are skipped). */
    private static String scalar(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        return v == JsonToken.VALUE_NULL ? null : p.getText();
    }

    /** A number that fits a long, else -1 (as {@code JsonNode.canConvertToLong}). */
    private static long number(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? -1 : p.getLongValue();
        }
        if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            return d >= Long.MIN_VALUE && d <= Long.MAX_VALUE ? (long) d : -1;
        }
        p.skipChildren();
        return -1;
    }

    /**
     * Reads an event; throws {@link IllegalArgumentException} with the reason when the JSON has no usable
     * {@code message}.
     */
    public static FilebeatEvent parse(JsonNode root) {
        JsonNode message = root.get("message");
        if (message == null || !message.isTextual()) {
            throw new IllegalArgumentException("JSON event has no text field 'message'");
        }
        return new FilebeatEvent(message.asText(), text(root, "@timestamp"), text(root, "host", "name"),
                text(root, "log", "file", "path"), number(root, "log", "offset"));
    }

    private static JsonNode find(JsonNode root, String... path) {
        JsonNode flat = root.get(String.join(".", path));
        if (flat != null) {
            return flat;
        }
        JsonNode n = root;
        for (String p : path) {
            n = n == null ? null : n.get(p);
        }
        return n;
    }

    private static String text(JsonNode root, String... path) {
        JsonNode n = find(root, path);
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    private static long number(JsonNode root, String... path) {
        JsonNode n = find(root, path);
        return n != null && n.canConvertToLong() ? n.asLong() : -1;
    }
}
