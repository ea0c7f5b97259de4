package io.anomalog.core.session;

import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;

import io.anomalog.core.ingest.LineProblem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Groups events into sessions by their session ids ({@link SessionIdRule}: every distinct match of a regular
 * expression in the content, or a header field; a line that carries several ids belongs to each of their
 * sessions). Sessions come out in order of their first event; events keep log order. A line matching the end
 * event closes its sessions, and a session reaching the most events a session may hold is closed too: later
 * lines of the same id open a new session with the same id, as the stream does. Events without an id belong to
 * no session and are returned as rejected, so they are counted.
 */
public final class SessionGrouper implements Grouper {

    private final SessionIdRule rule;
    private final Pattern endEvent;
    private final int maxEvents;
    private final Function<String, Label> labels;

    private SessionGrouper(Builder b) {
        this.rule = b.rule;
        this.endEvent = b.endEvent;
        this.maxEvents = b.maxEvents;
        this.labels = b.labels;
    }

    @Override
    public Grouping group(List<ParsedEvent> events) {
        Map<String, List<ParsedEvent>> open = new LinkedHashMap<>();
        List<Closed> closed = new ArrayList<>();
        List<DeadLetter> rejected = new ArrayList<>();
        long order = 0;
        Map<String, Long> openedAt = new HashMap<>();
        for (ParsedEvent e : events) {
            List<String> ids = rule.idsOf(e);
            if (ids.isEmpty()) {
                rejected.add(new DeadLetter(e.record().source(), e.record().lineNumber(),
                        LineProblem.NO_SESSION_ID.reason() + " (" + rule.describe() + ")", e.record().content()));
                continue;
            }
            boolean ends = endEvent != null && endEvent.matcher(e.record().content()).find();
            for (String id : ids) {
                List<ParsedEvent> s = open.get(id);
                if (s == null) {
                    s = new ArrayList<>();
                    open.put(id, s);
                    openedAt.put(id, order++);
                }
                s.add(e);
                if (ends || s.size() >= maxEvents) {
                    closed.add(new Closed(openedAt.remove(id), id, open.remove(id)));
                }
            }
        }
        open.forEach((id, evs) -> closed.add(new Closed(openedAt.get(id), id, evs)));
        closed.sort(java.util.Comparator.comparingLong(Closed::order));
        List<Sequence> out = new ArrayList<>(closed.size());
        for (Closed c : closed) {
            out.add(new Sequence(c.id, Grouper.keysOf(c.events), labels.apply(c.id), List.copyOf(c.events)));
        }
        return new Grouping(out, rejected);
    }

    private record Closed(long order, String id, List<ParsedEvent> events) {
    }

    /** The rule that finds the session ids of an event. */
    public SessionIdRule rule() {
        return rule;
    }

    /** The distinct session ids of one event, in order of appearance. */
    public List<String> idsOf(ParsedEvent e) {
        return rule.idsOf(e);
    }

    /** Configures a {@link SessionGrouper}. */
    public static final class Builder {
        private SessionIdRule rule;
        private Pattern endEvent;
        private int maxEvents = Integer.MAX_VALUE;
        private Function<String, Label> labels = id -> Label.UNKNOWN;

        /** Session id = each distinct match of the regex in the content (group 1 when the regex has a group). */
        public Builder idPattern(String regex) {
            this.rule = SessionIdRule.pattern(regex);
            return this;
        }

        /** Session id = the value of a header field (e.g. "Node"). */
        public Builder idField(String name) {
            this.rule = SessionIdRule.field(name);
            return this;
        }

        public Builder rule(SessionIdRule r) {
            this.rule = r;
            return this;
        }

        /** A line whose content matches closes its sessions (null: none does). */
        public Builder endEvent(Pattern p) {
            this.endEvent = p;
            return this;
        }

        /** A session that reaches this many events is closed; the next event of its id opens a new one. */
        public Builder maxEvents(int n) {
            if (n < 1) {
                throw new AnomalogException("the most events of a session must be at least 1, got " + n);
            }
            this.maxEvents = n;
            return this;
        }

        /** Ground truth by session id (e.g. from a label file); unknown by default. */
        public Builder labels(Function<String, Label> byId) {
            this.labels = byId;
            return this;
        }

        public SessionGrouper build() {
            if (rule == null) {
                throw new AnomalogException("a session grouper needs an id pattern or an id field");
            }
            return new SessionGrouper(this);
        }
    }
}
