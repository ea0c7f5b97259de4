package io.anomalog.core.template;

import io.anomalog.core.io.TextFiles;
import io.anomalog.core.util.AnomalogException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The template text of each log key, for methods that look at what a key says (semantic template vectors,
 * explanations). Read from a CSV with a header, either loghub's {@code EventId,EventTemplate} (ids {@code E1},
 * {@code E2}, ... become keys 1, 2, ...) or {@code id,template} (numeric ids, as logdeep's BGL templates).
 * The template is the rest of the line after the first comma, so templates may contain commas; surrounding
 * double quotes are removed.
 */
public final class TemplateTexts {

    private final Map<Integer, String> byKey;

    public TemplateTexts(Map<Integer, String> byKey) {
        this.byKey = Collections.unmodifiableMap(new TreeMap<>(byKey));
    }

    public static TemplateTexts empty() {
        return new TemplateTexts(Map.of());
    }

    /** Reads a template CSV; a line whose id is not a key is an error naming the line. */
    public static TemplateTexts read(Path file) {
        Map<Integer, String> out = new TreeMap<>();
        try (BufferedReader r = TextFiles.reader(file)) {
            String header = r.readLine();
            if (header == null) {
                throw new AnomalogException("template file " + file + " is empty");
            }
            String line;
            long n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.indexOf(',');
                if (comma < 0) {
                    throw new AnomalogException("template file " + file + ", line " + n + ": no comma between id and template");
                }
                String id = line.substring(0, comma).strip();
                if (id.startsWith("E") || id.startsWith("e")) {
                    id = id.substring(1);
                }
                int key;
                try {
                    key = Integer.parseInt(id);
                } catch (NumberFormatException e) {
                    throw new AnomalogException("template file " + file + ", line " + n + ": id '"
                            + line.substring(0, comma) + "' is neither a number nor E<number>");
                }
                String text = line.substring(comma + 1).strip();
                if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
                    text = text.substring(1, text.length() - 1).replace("\"\"", "\"");
                }
                out.put(key, text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new AnomalogException("template file " + file + " holds no templates");
        }
        return new TemplateTexts(out);
    }

    /** The template of a key, or null when unknown. */
    public String text(int key) {
        return byKey.get(key);
    }

    public Map<Integer, String> asMap() {
        return byKey;
    }

    public boolean isEmpty() {
        return byKey.isEmpty();
    }

    public int size() {
        return byKey.size();
    }
}
