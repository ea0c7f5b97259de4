package io.anomalog.core.data;

import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.io.TextFiles;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.log.TimeReader;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads loghub structured CSV files ({@code *_structured.csv}): one parsed log line a row, with
 * {@code LineId}, the system's header fields, {@code Content}, and the ground-truth {@code EventId} and
 * {@code EventTemplate}. Each row becomes a {@link ParsedEvent} whose log key is the number of its EventId
 * ({@code E5} is key 5), so they can be grouped into sessions like events parsed from raw text.
 *
 * <p>Rows with the wrong number of fields or an EventId that is not {@code E<number>} are kept as
 * {@link DeadLetter}s; a file without the required columns is refused.
 */
public final class StructuredCsv {

    /** Events read plus the rows that could not be used. */
    public record Result(List<ParsedEvent> events, List<DeadLetter> rejected) {
    }

    /** The CSV does not say which system wrote it, so its Date and Time columns are read by trying common layouts. */
    private static final TimeReader TIMES = TimeReader.auto();

    private StructuredCsv() {
    }

    public static Result read(Path file) {
        try (BufferedReader r = TextFiles.reader(file)) {
            return read(r, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Result read(BufferedReader r, String source) throws IOException {
        String headerLine = r.readLine();
        if (headerLine == null) {
            throw new AnomalogException(source + " is empty: expected a loghub structured CSV header");
        }
        List<String> header = splitRow(stripBom(headerLine));
        int content = header.indexOf("Content");
        int eventId = header.indexOf("EventId");
        int template = header.indexOf("EventTemplate");
        int lineId = header.indexOf("LineId");
        if (content < 0 || eventId < 0 || template < 0) {
            throw new AnomalogException(source + " is not a loghub structured CSV: the header needs Content, EventId"
                    + " and EventTemplate columns, found " + header);
        }
        int date = header.indexOf("Date");
        int time = header.indexOf("Time");
        int host = header.contains("Node") ? header.indexOf("Node") : header.indexOf("Host");
        int level = header.indexOf("Level");
        int component = header.indexOf("Component");
        List<ParsedEvent> events = new ArrayList<>();
        List<DeadLetter> rejected = new ArrayList<>();
        String line;
        long n = 1;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            List<String> f = splitRow(line);
            if (f.size() != header.size()) {
                rejected.add(new DeadLetter(source, n, "expected " + header.size() + " fields, found " + f.size(), line));
                continue;
            }
            int key;
            try {
                String id = f.get(eventId).strip();
                key = Integer.parseInt(id.startsWith("E") ? id.substring(1) : id);
            } catch (NumberFormatException e) {
                rejected.add(new DeadLetter(source, n, "EventId '" + f.get(eventId) + "' is not E<number>", line));
                continue;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                if (i != content && i != eventId && i != template && i != lineId) {
                    fields.put(header.get(i), f.get(i));
                }
            }
            long number = n - 1;
            if (lineId >= 0) {
                try {
                    number = Long.parseLong(f.get(lineId).strip());
                } catch (NumberFormatException ignored) {
                    // keep the row position
                }
            }
            String timestamp = date >= 0 && time >= 0 ? f.get(date) + " " + f.get(time)
                    : date >= 0 ? f.get(date) : time >= 0 ? f.get(time) : null;
            LogRecord record = new LogRecord(source, number, -1, host >= 0 ? f.get(host) : null, timestamp,
                    timestamp == null ? null : TIMES, level >= 0 ? f.get(level) : null,
                    component >= 0 ? f.get(component) : null, fields, f.get(content), null, true, false);
            events.add(new ParsedEvent(record, key, f.get(template), List.of()));
        }
        return new Result(events, rejected);
    }

    /** Splits one CSV row: commas separate fields, double quotes enclose fields, {@code ""} is a quote. */
    public static List<String> splitRow(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else if (c != '\r') {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }
}
