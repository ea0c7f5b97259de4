package io.anomalog.core.session;

import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Groups events into sessions by an identifier: every match of a regular expression in the content (HDFS block
 * ids {@code blk_-?\d+}, OpenStack instance uuids), or the value of a header field. A line that carries several
 * ids belongs to each of their sessions. Sessions come out in order of their first event; events keep log order.
 * Events without an id belong to no session and are returned as rejected, so they are counted.
 */
public final class SessionGrouper implements Grouper {

    private final Pattern pattern;
    private final String field;
    private final Function<String, Label> labels;

    private SessionGrouper(Builder b) {
        this.pattern = b.pattern;
        this.field = b.field;
        this.labels = b.labels;
    }

    @Override
    public Grouping group(List<ParsedEvent> events) {
        Map<String, List<ParsedEvent>> sessions = new LinkedHashMap<>();
        List<DeadLetter> rejected = new ArrayList<>();
        for (ParsedEvent e : events) {
            Set<String> ids = idsOf(e);
            if (ids.isEmpty()) {
                rejected.add(new DeadLetter(e.record().source(), e.record().lineNumber(),
                        "no session id (" + (pattern != null ? "pattern " + pattern.pattern() : "field " + field) + ")",
                        e.record().content()));
                continue;
            }
            for (String id : ids) {
                sessions.computeIfAbsent(id, k -> new ArrayList<>()).add(e);
            }
        }
        List<Sequence> out = new ArrayList<>(sessions.size());
        sessions.forEach((id, evs) -> out.add(new Sequence(id, Grouper.keysOf(evs), labels.apply(id), List.copyOf(evs))));
        return new Grouping(out, rejected);
    }

    /** The distinct session ids of one event, in order of appearance. */
    public Set<String> idsOf(ParsedEvent e) {
        Set<String> ids = new LinkedHashSet<>();
        if (pattern != null) {
            Matcher m = pattern.matcher(e.record().content());
            while (m.find()) {
                ids.add(m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group());
            }
        } else {
            String v = e.record().field(field);
            if (v != null && !v.isBlank()) {
                ids.add(v.strip());
            }
        }
        return ids;
    }

    /** Configures a {@link SessionGrouper}. */
    public static final class Builder {
        private Pattern pattern;
        private String field;
        private Function<String, Label> labels = id -> Label.UNKNOWN;

        /** Session id = each match of the regex in the content (group 1 when the regex has a group). */
        public Builder idPattern(String regex) {
            try {
                this.pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new AnomalogException("session id pattern '" + regex + "' is not a valid regular expression: "
                        + e.getDescription());
            }
            this.field = null;
            return this;
        }

        /** Session id = the value of a header field (e.g. "Node"). */
        public Builder idField(String name) {
            this.field = name;
            this.pattern = null;
            return this;
        }

        /** Ground truth by session id (e.g. from a label file); unknown by default. */
        public Builder labels(Function<String, Label> byId) {
            this.labels = byId;
            return this;
        }

        public SessionGrouper build() {
            if (pattern == null && field == null) {
                throw new AnomalogException("a session grouper needs an id pattern or an id field");
            }
            return new SessionGrouper(this);
        }
    }
}
