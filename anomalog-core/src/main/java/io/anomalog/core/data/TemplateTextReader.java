package io.anomalog.core.data;

import io.anomalog.core.io.TextFiles;
import io.anomalog.core.util.AnomalogException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the template text of each log key from the template lists that come with key files, so explanations
 * can show what a key means:
 * <ul>
 *   <li>loghub {@code EventId,EventTemplate} CSV: {@code E5,Receiving block <*>} is key 5;</li>
 *   <li>{@code id,template} CSV (logdeep BGL): {@code 3,minus normalized number <*>} is key 3;</li>
 *   <li>plain text, one template a line (ait {@code *_templates_ait.txt}): line n is key n.</li>
 * </ul>
 * CSV fields may be double-quoted with {@code ""} escapes.
 */
public final class TemplateTextReader {

    private TemplateTextReader() {
    }

    /** Raw log key to template text. */
    public static Map<Integer, String> read(Path file) {
        try (BufferedReader r = TextFiles.reader(file)) {
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
            return parse(lines, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<Integer, String> parse(List<String> lines, String source) {
        Map<Integer, String> out = new TreeMap<>();
        if (lines.isEmpty()) {
            return out;
        }
        String header = lines.get(0).strip().toLowerCase();
        boolean csv = header.startsWith("eventid,") || header.startsWith("id,");
        if (!csv) {
            for (int i = 0; i < lines.size(); i++) {
                out.put(i + 1, lines.get(i).strip());
            }
            return out;
        }
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = StructuredCsv.splitRow(line);
            if (fields.size() < 2) {
                throw new AnomalogException(source + ":" + (i + 1) + ": expected id,template, got '" + line + "'");
            }
            String id = fields.get(0).strip();
            if (id.startsWith("E") || id.startsWith("e")) {
                id = id.substring(1);
            }
            try {
                out.put(Integer.parseInt(id), fields.get(1));
            } catch (NumberFormatException e) {
                throw new AnomalogException(source + ":" + (i + 1) + ": template id '" + fields.get(0)
                        + "' is not a number or E<number>");
            }
        }
        return out;
    }
}
