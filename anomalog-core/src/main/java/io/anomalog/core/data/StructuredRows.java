package io.anomalog.core.data;

import io.anomalog.core.io.Json;
import io.anomalog.core.io.Utf8Buffer;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows {@code anomalog parse} writes, as UTF-8 bytes: loghub structured CSV (LineId, the header fields,
 * Content, EventId, EventTemplate, ParameterList, the layout {@link StructuredCsv} reads) or one JSON object per
 * line. Written straight into a {@link Utf8Buffer}: a plain ASCII field is one pass over its characters, and only a
 * field that needs quoting or holds other characters takes a slower path. Thread-safe: each thread keeps its own
 * table of encoded template texts ({@link EncodedTexts}).
 */
public final class StructuredRows {

    /** Characters that make a CSV field quoted. */
    private static final Utf8Buffer.Flags CSV_SPECIAL = new Utf8Buffer.Flags(",\"\n\r");
    /** Characters of a parameter that are escaped in the Python list, or make the CSV field quoted. */
    private static final Utf8Buffer.Flags PARAMETER_SPECIAL = new Utf8Buffer.Flags(",\"\n\r\\'");
    /** Each thread's encoded template texts: all lines of a template share its text, so it is encoded once. */
    private static final ThreadLocal<EncodedTexts> TEMPLATES =
            ThreadLocal.withInitial(() -> new EncodedTexts(StructuredRows::csvField));

    private StructuredRows() {
    }

    /** The CSV columns for a format's header fields. */
    public static List<String> csvColumns(List<String> fieldNames) {
        List<String> head = new ArrayList<>(fieldNames.size() + 5);
        head.add("LineId");
        head.addAll(fieldNames);
        head.addAll(List.of("Content", "EventId", "EventTemplate", "ParameterList"));
        return head;
    }

    /** One CSV row of plain values (a header, a templates file). */
    public static void csvRow(List<String> values, Utf8Buffer out) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.ascii(',');
            }
            csvField(values.get(i), out);
        }
        out.ascii('\n');
    }

    /** One event as a row of the structured CSV, with the format's header fields in {@code fieldNames}. */
    public static void csvRow(ParsedEvent e, List<String> fieldNames, Utf8Buffer out) {
        LogRecord r = e.record();
        out.number(r.lineNumber());
        for (String f : fieldNames) {
            out.ascii(',');
            String v = r.field(f);
            if (v != null) {
                csvField(v, out);
            }
        }
        out.ascii(',');
        csvField(r.content(), out);
        out.ascii(",E").number(e.templateId()).ascii(',');
        TEMPLATES.get().write(e.template(), out);
        out.ascii(',');
        parameterList(e.parameters(), out);
        out.ascii('\n');
    }

    /** One event as a JSON object on a line of its own. */
    public static void jsonLine(ParsedEvent e, Utf8Buffer out) {
        LogRecord r = e.record();
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("lineId", r.lineNumber());
        obj.put("source", r.source());
        obj.put("offset", r.offset());
        obj.put("host", r.host());
        obj.put("timestamp", r.timestamp());
        Instant t = r.time();
        obj.put("time", t == null ? null : t.toString());
        obj.put("level", r.level());
        obj.put("component", r.component());
        obj.put("fields", r.fields());
        obj.put("content", r.content());
        obj.put("headerMatched", r.headerMatched());
        obj.put("truncated", r.truncated());
        obj.put("eventId", e.templateId());
        obj.put("template", e.template());
        obj.put("parameters", e.parameters());
        try {
            // as text first: a lone surrogate becomes '?' as everywhere else, where Jackson's own bytes would fail
            out.text(Json.MAPPER.writeValueAsString(obj)).ascii('\n');
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new AnomalogException("cannot write line " + r.lineNumber() + " as JSON: " + ex.getOriginalMessage());
        }
    }

    /** A CSV field: quoted, with quotes doubled, when it holds a comma, a quote or a line break. */
    static void csvField(String v, Utf8Buffer out) {
        if (!out.unlessAny(v, CSV_SPECIAL)) {
            out.ascii('"').text(v, '"').ascii('"');
        }
    }

    /**
     * The parameter list as loghub's CSV files write it, a Python list of strings ({@code ['a', 'b\'c']}, with
     * {@code \} and {@code '} escaped), as a CSV field.
     */
    static void parameterList(List<String> values, Utf8Buffer out) {
        int n = values.size();
        if (n == 0) {
            out.ascii("[]");
            return;
        }
        // the list's own ", " needs quotes; one value needs them when it holds a comma, quote or line break
        boolean quoted = n > 1 || needsQuotes(values.get(0));
        if (quoted) {
            out.ascii('"');
        }
        out.ascii('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.ascii(", ");
            }
            out.ascii('\'');
            String v = values.get(i);
            if (!out.unlessAny(v, PARAMETER_SPECIAL)) {
                String escaped = v.replace("\\", "\\\\").replace("'", "\\'");
                out.text(escaped, quoted ? '"' : -1);
            }
            out.ascii('\'');
        }
        out.ascii(']');
        if (quoted) {
            out.ascii('"');
        }
    }

    private static boolean needsQuotes(String v) {
        return v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
    }
}
