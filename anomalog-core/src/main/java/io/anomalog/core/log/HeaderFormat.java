package io.anomalog.core.log;

import io.anomalog.core.util.AnomalogException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A loghub-style header format such as {@code <Date> <Time> <Pid> <Level> <Component>: <Content>}: fields in
 * angle brackets, separated by literal text, where a run of spaces matches any run of whitespace and each field
 * matches as little as it can (the semantics of the logparser benchmark).
 *
 * <p>A format made only of fields and literal separators is split by a hand-written scanner (no regular
 * expression on the hot path); one that uses regular-expression syntax between fields (an optional group such as
 * {@code (\[<PID>\])?}) is compiled into a {@link Pattern} instead.
 */
public final class HeaderFormat implements LogFormat {

    private static final Pattern FIELD = Pattern.compile("<([A-Za-z_][A-Za-z0-9_]*)>");

    private final String name;
    private final String spec;
    private final List<String> fields;          // header fields, without Content
    private final String[] allFields;           // all fields in spec order, including Content
    private final String[] headerNames;         // allFields without Content
    private final int contentIndex;
    private final String[] separators;          // separators[i] precedes allFields[i]; last is the trailer
    private final Pattern pattern;              // null when the scanner is used
    private final String hostField;
    private final String[] timestampFields;
    private final int hostIndex;
    private final int[] timestampIndex;
    private final int levelIndex;
    private final int componentIndex;
    private final TimeReader timeReader;

    private HeaderFormat(String name, String spec, TimeReader timeReader) {
        this.name = name;
        this.spec = spec;
        this.timeReader = timeReader;
        List<String> all = new ArrayList<>();
        List<String> seps = new ArrayList<>();
        Matcher m = FIELD.matcher(spec);
        int last = 0;
        while (m.find()) {
            seps.add(spec.substring(last, m.start()));
            all.add(m.group(1));
            last = m.end();
        }
        seps.add(spec.substring(last));
        if (!all.contains("Content")) {
            throw new AnomalogException("log format '" + spec + "' has no <Content> field");
        }
        if (all.size() != all.stream().distinct().count()) {
            throw new AnomalogException("log format '" + spec + "' names a field twice");
        }
        this.allFields = all.toArray(String[]::new);
        List<String> header = new ArrayList<>(all);
        header.remove("Content");
        this.fields = Collections.unmodifiableList(header);
        this.headerNames = header.toArray(String[]::new);
        this.contentIndex = all.indexOf("Content");
        boolean plain = true;
        String[] literal = new String[seps.size()];
        for (int i = 0; i < seps.size(); i++) {
            literal[i] = unescape(seps.get(i));
            if (literal[i] == null) {
                plain = false;
            }
        }
        this.separators = literal;
        this.pattern = plain ? null : compile(spec, all);
        this.hostField = pick(header, "Host", "Node", "User", "Location");
        this.timestampFields = timestampFields(header);
        this.hostIndex = hostField == null ? -1 : header.indexOf(hostField);
        this.timestampIndex = java.util.Arrays.stream(timestampFields).mapToInt(header::indexOf).toArray();
        this.levelIndex = header.indexOf(pick(header, "Level", "Severity", "level", "severity"));
        this.componentIndex = header.indexOf(pick(header, "Component", "Logger", "Program", "Service", "component"));
    }

    /**
     * A header format from a loghub-style spec; it must contain {@code <Content>}. Timestamps are read by trying
     * common layouts ({@link TimeReader#auto()}).
     */
    public static HeaderFormat of(String name, String spec) {
        return new HeaderFormat(name, spec, TimeReader.auto());
    }

    /** A header format whose timestamp text (its time fields joined by a space) reads with the given reader. */
    public static HeaderFormat of(String name, String spec, TimeReader timeReader) {
        return new HeaderFormat(name, spec, timeReader);
    }

    @Override
    public HeaderFormat withTimeReader(TimeReader reader) {
        return new HeaderFormat(name, spec, reader);
    }

    @Override
    public TimeReader timeReader() {
        return timeReader;
    }

    public String spec() {
        return spec;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> fieldNames() {
        return fields;
    }

    @Override
    public LogRecord parse(String line, String source, long lineNumber, long offset) {
        return parse(line, source, lineNumber, offset, false);
    }

    /** Like {@link #parse(String, String, long, long)}, marking the record as cut by the line-length cap. */
    public LogRecord parse(String line, String source, long lineNumber, long offset, boolean truncated) {
        String[] values = pattern == null ? scan(line) : match(line);
        if (values == null) {
            return LogRecord.unmatched(line, source, lineNumber, offset, truncated);
        }
        String[] headerValues = new String[headerNames.length];
        String content = "";
        int h = 0;
        for (int i = 0; i < allFields.length; i++) {
            if (i == contentIndex) {
                content = values[i];
            } else {
                headerValues[h++] = values[i];
            }
        }
        Map<String, Object> map = new FieldMap(headerNames, headerValues);
        return new LogRecord(source, lineNumber, offset, hostIndex < 0 ? null : headerValues[hostIndex],
                timestamp(headerValues), timestampIndex.length == 0 ? null : timeReader,
                levelIndex < 0 ? null : headerValues[levelIndex], componentIndex < 0 ? null : headerValues[componentIndex],
                map, content, line, true, truncated);
    }

    private String timestamp(String[] headerValues) {
        if (timestampIndex.length == 0) {
            return null;
        }
        if (timestampIndex.length == 1) {
            return headerValues[timestampIndex[0]];
        }
        if (timestampIndex.length == 2) {
            return headerValues[timestampIndex[0]] + ' ' + headerValues[timestampIndex[1]];
        }
        StringBuilder sb = new StringBuilder();
        for (int f : timestampIndex) {
            String v = headerValues[f];
            if (v != null && !v.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(v);
            }
        }
        return sb.toString();
    }

    /**
     * The scanner: each field ends at the first place where the next separator matches (lazy matching), a
     * whitespace run in a separator matches one or more whitespace characters. The line is trimmed first, as
     * the benchmark does.
     */
    private String[] scan(String raw) {
        String line = raw.strip();
        int n = line.length();
        int pos = 0;
        String[] values = new String[allFields.length];
        // most lines hold no tab: where the next one is, is found once, not for every field
        int tab = line.indexOf('\t');
        int at = matchSeparator(line, pos, separators[0]);
        if (at < 0) {
            return null;
        }
        pos = at;
        for (int f = 0; f < allFields.length; f++) {
            String sep = separators[f + 1];
            if (f == allFields.length - 1 && sep.isEmpty()) {
                values[f] = line.substring(pos);
                return values;
            }
            int start = pos;
            int end = -1;
            int after = -1;
            // a field is never empty when followed by whitespace (".*?" then "\s+" in the benchmark may be empty,
            // but an empty field before a space only happens for malformed lines); search from start
            char first = sep.charAt(0);
            for (int i = start; i <= n; i++) {
                // jump to the next place where the separator can start (indexOf is vectorised)
                if (first != ' ') {
                    i = line.indexOf(first, i);
                    if (i < 0) {
                        break;
                    }
                } else {
                    if (tab >= 0 && tab < i) {
                        tab = line.indexOf('\t', i);
                    }
                    int sp = line.indexOf(' ', i);
                    i = sp < 0 ? tab : (tab < 0 ? sp : Math.min(sp, tab));
                    if (i < 0) {
                        break;
                    }
                }
                int a = matchSeparator(line, i, sep);
                if (a >= 0) {
                    end = i;
                    after = a;
                    break;
                }
            }
            if (end < 0) {
                return null;
            }
            values[f] = line.substring(start, end);
            pos = after;
        }
        return pos == n ? values : null;
    }

    /** Matches separator {@code sep} at {@code i}; returns the index after it or -1. */
    private static int matchSeparator(String line, int i, String sep) {
        int n = line.length();
        int j = 0;
        int k = sep.length();
        while (j < k) {
            char c = sep.charAt(j);
            if (c == ' ') {
                if (i >= n || !isWhitespace(line.charAt(i))) {
                    return -1;
                }
                while (i < n && isWhitespace(line.charAt(i))) {
                    i++;
                }
                while (j < k && sep.charAt(j) == ' ') {
                    j++;
                }
            } else {
                if (i >= n || line.charAt(i) != c) {
                    return -1;
                }
                i++;
                j++;
            }
        }
        return i;
    }

    /** {@link Character#isWhitespace}, answering for a plain space or printable ASCII without the table look-up. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || ((c < 0x20 || c >= 0x7F) && Character.isWhitespace(c));
    }

    private String[] match(String raw) {
        Matcher m = pattern.matcher(raw.strip());
        if (!m.matches()) {
            return null;
        }
        String[] values = new String[allFields.length];
        for (int i = 0; i < allFields.length; i++) {
            String v = m.group(allFields[i]);
            values[i] = v == null ? "" : v;
        }
        return values;
    }

    /** The literal text of a separator, or null when it uses regular-expression syntax. */
    private static String unescape(String sep) {
        StringBuilder sb = new StringBuilder(sep.length());
        for (int i = 0; i < sep.length(); i++) {
            char c = sep.charAt(i);
            if (c == '\\') {
                if (i + 1 >= sep.length()) {
                    return null;
                }
                char next = sep.charAt(++i);
                if (Character.isLetterOrDigit(next)) {
                    return null;     // \s, \d ...: a character class
                }
                sb.append(next);
            } else if ("()[]{}?*+|^$.".indexOf(c) >= 0) {
                return null;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Pattern compile(String spec, List<String> all) {
        StringBuilder re = new StringBuilder("^");
        Matcher m = FIELD.matcher(spec);
        int last = 0;
        while (m.find()) {
            re.append(spec.substring(last, m.start()).replaceAll(" +", "\\\\s+"));
            re.append("(?<").append(m.group(1)).append(">.*?)");
            last = m.end();
        }
        re.append(spec.substring(last).replaceAll(" +", "\\\\s+")).append('$');
        try {
            return Pattern.compile(re.toString());
        } catch (PatternSyntaxException e) {
            throw new AnomalogException("log format '" + spec + "' is not a valid pattern: " + e.getDescription());
        }
    }

    private static String pick(List<String> header, String... names) {
        for (String n : names) {
            if (header.contains(n)) {
                return n;
            }
        }
        return null;
    }

    private static String[] timestampFields(List<String> header) {
        if (header.contains("Timestamp")) {
            return new String[]{"Timestamp"};
        }
        List<String> parts = new ArrayList<>();
        for (String f : List.of("Month", "Date", "Day", "Time")) {
            if (header.contains(f)) {
                parts.add(f);
            }
        }
        return parts.toArray(String[]::new);
    }

    @Override
    public String toString() {
        return name + " (" + spec + ")";
    }
}
