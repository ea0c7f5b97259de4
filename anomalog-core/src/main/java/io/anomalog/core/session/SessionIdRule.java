package io.anomalog.core.session;

import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which sessions a line belongs to, the one rule of batch and live: every distinct match of a regular expression
 * in the content (its first capturing group when it has one, else the whole match), in order of appearance, or
 * the value of a header field. A line carrying several ids (an HDFS line naming two blocks) belongs to each of
 * their sessions, as in the preprocessing of the HDFS benchmarks. A line with none belongs to no session.
 */
public final class SessionIdRule {

    /** HDFS block ids. */
    public static final String HDFS_BLOCK = "blk_-?\\d+";

    private final Pattern pattern;
    private final String field;

    private SessionIdRule(Pattern pattern, String field) {
        this.pattern = pattern;
        this.field = field;
    }

    /**
     * Session ids are the matches of a regular expression in the content.
     *
     * @throws AnomalogException when the expression is not valid
     */
    public static SessionIdRule pattern(String regex) {
        try {
            return new SessionIdRule(Pattern.compile(regex), null);
        } catch (PatternSyntaxException e) {
            throw new AnomalogException("session id pattern '" + regex + "' is not a valid regular expression: "
                    + e.getDescription());
        }
    }

    /** Session ids are the value of a header or JSON field (e.g. "Node", "request.id"). */
    public static SessionIdRule field(String name) {
        if (name == null || name.isBlank()) {
            throw new AnomalogException("the session id field name is empty");
        }
        return new SessionIdRule(null, name);
    }

    /** The regular expression, or null for a field rule. */
    public String regex() {
        return pattern == null ? null : pattern.pattern();
    }

    /** The field name, or null for a regex rule. */
    public String fieldName() {
        return field;
    }

    /** In words, for messages and dead letters: "pattern blk_-?\d+" or "field Node". */
    public String describe() {
        return pattern != null ? "pattern " + pattern.pattern() : "field " + field;
    }

    /** The distinct session ids of an event, in order of appearance; empty when it has none. */
    public List<String> idsOf(ParsedEvent e) {
        if (pattern == null) {
            String v = e.record().field(field);
            return v == null || v.isBlank() ? List.of() : List.of(v.strip());
        }
        return idsIn(e.record().content());
    }

    /** The distinct ids in a text (regex rules only). */
    public List<String> idsIn(String text) {
        if (HDFS_BLOCK.equals(pattern.pattern())) {
            return blocks(text);
        }
        Matcher m = pattern.matcher(text);
        List<String> ids = null;
        while (m.find()) {
            String id = m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
            if (id.isEmpty()) {
                continue;       // a pattern that can match nothing names no session there
            }
            if (ids == null) {
                ids = new ArrayList<>(1);
            }
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids == null ? List.of() : ids;
    }

    /** The first id in a text, or null. */
    public String find(String text) {
        List<String> ids = idsIn(text);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /**
     * The {@code blk_-?\d+} matches of a text, found by hand: it runs for every line of an HDFS log, and a scan
     * for the literal prefix is several times cheaper than the general regex engine. Same result as the regex.
     */
    static List<String> blocks(String text) {
        List<String> out = null;
        int from = 0;
        int n = text.length();
        while (true) {
            int at = text.indexOf("blk_", from);
            if (at < 0) {
                return out == null ? List.of() : out;
            }
            int i = at + 4;
            if (i < n && text.charAt(i) == '-') {
                i++;
            }
            int digits = i;
            while (i < n && isAsciiDigit(text.charAt(i))) {
                i++;
            }
            if (i > digits) {
                String id = text.substring(at, i);
                if (out == null) {
                    out = new ArrayList<>(1);
                }
                if (!out.contains(id)) {
                    out.add(id);
                }
                from = i;
            } else {
                from = at + 1;
            }
        }
    }

    /** {@code \d} without UNICODE_CHARACTER_CLASS is [0-9] only. */
    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    @Override
    public String toString() {
        return describe();
    }
}
