package io.anomalog.stream.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalog.core.io.Json;

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

    public byte[] toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("@timestamp", timestamp);
        root.put("message", message);
        if (host != null) {
            root.putObject("host").put("name", host);
        }
        ObjectNode log = root.putObject("log");
        if (path != null) {
            log.putObject("file").put("path", path);
        }
        log.put("offset", offset);
        root.putObject("agent").put("type", "anomalog-ship");
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static FilebeatEvent of(String message, String host, String path, long offset) {
        return new FilebeatEvent(message, Instant.now().toString(), host, path, offset);
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
