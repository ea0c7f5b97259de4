package io.anomalog.core.log;

import io.anomalog.core.util.AnomalogException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A custom header given as a Java regular expression with named groups, e.g.
 * {@code (?<date>\S+) (?<time>\S+) (?<level>\w+) (?<content>.*)}. The group {@code content} (or
 * {@code Content}) is the message; optional groups {@code host}, {@code timestamp}, {@code level} and
 * {@code component} (any case) fill those parts of the record.
 */
public final class RegexFormat implements LogFormat {

    private static final Pattern GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    private final Pattern pattern;
    private final List<String> fields;
    private final String contentGroup;
    private final TimeReader timeReader;

    private RegexFormat(String regex, TimeReader timeReader) {
        this.timeReader = timeReader;
        try {
            this.pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new AnomalogException("invalid --regex '" + regex + "': " + e.getDescription());
        }
        List<String> names = new ArrayList<>();
        Matcher m = GROUP.matcher(regex);
        while (m.find()) {
            names.add(m.group(1));
        }
        if (names.contains("content")) {
            contentGroup = "content";
        } else if (names.contains("Content")) {
            contentGroup = "Content";
        } else {
            throw new AnomalogException("--regex '" + regex + "' needs a named group (?<content>...) for the message");
        }
        names.remove(contentGroup);
        this.fields = Collections.unmodifiableList(names);
    }

    public static RegexFormat of(String regex) {
        return new RegexFormat(regex, TimeReader.auto());
    }

    @Override
    public TimeReader timeReader() {
        return timeReader;
    }

    @Override
    public RegexFormat withTimeReader(TimeReader reader) {
        return new RegexFormat(pattern.pattern(), reader);
    }

    public String regex() {
        return pattern.pattern();
    }

    @Override
    public String name() {
        return "regex";
    }

    @Override
    public List<String> fieldNames() {
        return fields;
    }

    @Override
    public LogRecord parse(String line, String source, long lineNumber, long offset) {
        return parse(line, source, lineNumber, offset, false);
    }

    public LogRecord parse(String line, String source, long lineNumber, long offset, boolean truncated) {
        Matcher m = pattern.matcher(line);
        if (!m.matches()) {
            return LogRecord.unmatched(line, source, lineNumber, offset, truncated);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (String f : fields) {
            String v = m.group(f);
            map.put(f, v == null ? "" : v);
        }
        String content = m.group(contentGroup);
        String timestamp = first(map, "timestamp", "Timestamp");
        return new LogRecord(source, lineNumber, offset, first(map, "host", "Host"), timestamp,
                timestamp == null ? null : timeReader, first(map, "level", "Level"), first(map, "component", "Component"),
                map, content == null ? "" : content.strip(), line, true, truncated);
    }

    private static String first(Map<String, Object> map, String a, String b) {
        Object v = map.get(a);
        if (v == null) {
            v = map.get(b);
        }
        return v == null ? null : v.toString();
    }

    @Override
    public String toString() {
        return "regex (" + pattern.pattern() + ")";
    }
}
