package io.anomalog.ml.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a template text into words for word vectors: parameter slots ({@code <*>}) and tokens with digits are
 * dropped, camel case is split ({@code addStoredBlock} -> add, stored, block) so templates that name the same
 * thing in different identifiers share words, and everything is lower case.
 */
public final class TemplateTokenizer {

    private TemplateTokenizer() {
    }

    public static List<String> words(String template) {
        List<String> out = new ArrayList<>();
        if (template == null) {
            return out;
        }
        String text = template.replace("<*>", " ");
        for (String raw : text.split("[^A-Za-z0-9]+")) {
            if (raw.isEmpty() || raw.chars().anyMatch(Character::isDigit)) {
                continue;
            }
            for (String part : raw.split("(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")) {
                if (part.length() >= 2) {
                    out.add(part.toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }
}
