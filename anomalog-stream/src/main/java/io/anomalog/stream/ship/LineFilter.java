package io.anomalog.stream.ship;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which entries to ship, as Filebeat's {@code include_lines} and {@code exclude_lines}: with include patterns an
 * entry must match one of them; an entry that matches an exclude pattern is dropped. Patterns are searched
 * anywhere in the entry ({@link java.util.regex.Matcher#find()}).
 */
public record LineFilter(List<Pattern> include, List<Pattern> exclude) {

    public static final LineFilter ALL = new LineFilter(List.of(), List.of());

    public LineFilter {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public static LineFilter of(List<String> include, List<String> exclude) {
        return new LineFilter(include.stream().map(Pattern::compile).toList(),
                exclude.stream().map(Pattern::compile).toList());
    }

    public boolean accepts(String entry) {
        if (!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(entry).find())) {
            return false;
        }
        return exclude.stream().noneMatch(p -> p.matcher(entry).find());
    }
}
