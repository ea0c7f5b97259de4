package io.anomalog.core.template;

import io.anomalog.core.data.TemplateTextReader;
import io.anomalog.core.util.AnomalogException;

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

    /**
     * Reads a template list (loghub {@code EventId,EventTemplate} CSV, {@code id,template} CSV, or one template a
     * line) with {@link TemplateTextReader}; a file without templates is an error.
     */
    public static TemplateTexts read(Path file) {
        Map<Integer, String> texts = TemplateTextReader.read(file);
        if (texts.isEmpty()) {
            throw new AnomalogException("template file " + file + " holds no templates");
        }
        return new TemplateTexts(texts);
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
