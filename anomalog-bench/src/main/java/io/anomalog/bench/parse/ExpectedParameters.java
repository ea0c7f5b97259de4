package io.anomalog.bench.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameter values a true template leaves in a line: the template's literal text is matched against the
 * content (white space runs collapsed on both sides), each {@code <*>} taking the shortest text that lets the
 * rest match, as a regular expression with lazy groups does.
 */
final class ExpectedParameters {

    private static final String WILD = "<*>";

    private ExpectedParameters() {
    }

    /** The values, in order, or null when the template does not match the content. */
    static List<String> of(String template, String content) {
        String t = GroupingMetrics.normalise(template);
        String c = GroupingMetrics.normalise(content);
        if (!t.contains(WILD)) {
            return t.equals(c) ? List.of() : null;
        }
        StringBuilder rx = new StringBuilder("^");
        int from = 0;
        int at;
        while ((at = t.indexOf(WILD, from)) >= 0) {
            if (at > from) {
                rx.append(Pattern.quote(t.substring(from, at)));
            }
            rx.append("(.*?)");
            from = at + WILD.length();
        }
        if (from < t.length()) {
            rx.append(Pattern.quote(t.substring(from)));
        }
        rx.append('$');
        Matcher m = Pattern.compile(rx.toString(), Pattern.DOTALL).matcher(c);
        if (!m.matches()) {
            return null;
        }
        List<String> out = new ArrayList<>(m.groupCount());
        for (int g = 1; g <= m.groupCount(); g++) {
            out.add(m.group(g));
        }
        return out;
    }
}
