package io.anomalog.core.session;

import io.anomalog.core.util.AnomalogException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How events become the sequences detectors judge, the same for batch commands and the stream: sessions by id,
 * sliding windows of a number of events, or time windows. Batch grouping reads the whole input; the stream closes
 * what batch sees at the end of its input by rules only the stream needs (an inactivity gap for sessions, event
 * time past a window's end plus a grace for time windows), which batch commands ignore.
 */
public sealed interface GroupingSpec {

    /** A batch grouper for this spec, labelling sessions by id (windows have no ids to label). */
    Grouper grouper(Function<String, Label> labels);

    /** What the sequences are called in messages: "sessions" or "windows". */
    String unit();

    /** In words, for messages and reports. */
    String describe();

    /** As a model's provenance keeps it; {@link #of(Map)} reads it back. */
    Map<String, String> toMap();

    /** Back from {@link #toMap()}; null for null or an empty map. */
    static GroupingSpec of(Map<String, String> m) {
        if (m == null || m.isEmpty()) {
            return null;
        }
        String kind = m.getOrDefault("kind", "");
        return switch (kind) {
            case "sessions" -> {
                SessionIdRule rule = m.containsKey("pattern") ? SessionIdRule.pattern(m.get("pattern"))
                        : SessionIdRule.field(m.get("field"));
                Sessions s = new Sessions(rule, duration(m.get("gap")), null,
                        Integer.parseInt(m.getOrDefault("maxEvents", String.valueOf(Sessions.DEFAULT_MAX_EVENTS))),
                        duration(m.get("maxAge")));
                yield m.containsKey("endEvent") ? s.withEndEvent(m.get("endEvent")) : s;
            }
            case "windows" -> new CountWindows(Integer.parseInt(m.get("size")), Integer.parseInt(m.get("step")));
            case "time-windows" -> new TimeWindows(duration(m.get("size")), duration(m.get("step")),
                    duration(m.get("grace")));
            default -> throw new AnomalogException("unknown grouping '" + kind + "' in " + m);
        };
    }

    private static Duration duration(String text) {
        return text == null ? null : Duration.parse(text);
    }

    /**
     * Sessions by id.
     *
     * @param ids       which sessions a line belongs to
     * @param gap       live: a session closes when no line of it came for this long (stream time)
     * @param endEvent  a line whose content matches closes its sessions at once, or null
     * @param maxEvents a session reaching this many events is closed (and a later line opens a new one)
     * @param maxAge    live: a session open this long is closed and flagged, whatever comes after
     */
    record Sessions(SessionIdRule ids, Duration gap, Pattern endEvent, int maxEvents, Duration maxAge)
            implements GroupingSpec {

        public static final Duration DEFAULT_GAP = Duration.ofSeconds(30);
        public static final int DEFAULT_MAX_EVENTS = 10_000;
        public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);

        public Sessions {
            if (ids == null) {
                throw new AnomalogException("sessions need a session id rule");
            }
            gap = positive(gap == null ? DEFAULT_GAP : gap, "the session gap");
            maxAge = positive(maxAge == null ? DEFAULT_MAX_AGE : maxAge, "the longest a session may stay open");
            if (maxEvents < 1) {
                throw new AnomalogException("the most events of a session must be at least 1, got " + maxEvents);
            }
        }

        /** Sessions by a regex with the default gap, size cap and age cap, and no end event. */
        public static Sessions byPattern(String regex) {
            return new Sessions(SessionIdRule.pattern(regex), DEFAULT_GAP, null, DEFAULT_MAX_EVENTS, DEFAULT_MAX_AGE);
        }

        public Sessions withGap(Duration g) {
            return new Sessions(ids, g, endEvent, maxEvents, maxAge);
        }

        public Sessions withEndEvent(String regex) {
            try {
                return new Sessions(ids, gap, regex == null ? null : Pattern.compile(regex), maxEvents, maxAge);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new AnomalogException("end event pattern '" + regex + "' is not a valid regular expression: "
                        + e.getDescription());
            }
        }

        public Sessions withMaxEvents(int n) {
            return new Sessions(ids, gap, endEvent, n, maxAge);
        }

        public Sessions withMaxAge(Duration age) {
            return new Sessions(ids, gap, endEvent, maxEvents, age);
        }

        @Override
        public Grouper grouper(Function<String, Label> labels) {
            return Grouper.bySession().rule(ids).endEvent(endEvent).maxEvents(maxEvents).labels(labels).build();
        }

        @Override
        public String unit() {
            return "sessions";
        }

        @Override
        public String describe() {
            return "sessions by " + ids.describe() + (endEvent != null ? ", ended by " + endEvent.pattern() : "")
                    + ", at most " + maxEvents + " events";
        }

        @Override
        public Map<String, String> toMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("kind", "sessions");
            if (ids.regex() != null) {
                m.put("pattern", ids.regex());
            } else {
                m.put("field", ids.fieldName());
            }
            m.put("gap", gap.toString());
            if (endEvent != null) {
                m.put("endEvent", endEvent.pattern());
            }
            m.put("maxEvents", String.valueOf(maxEvents));
            m.put("maxAge", maxAge.toString());
            return m;
        }
    }

    /** Windows of {@code size} consecutive events, a new one every {@code step} events. */
    record CountWindows(int size, int step) implements GroupingSpec {

        public CountWindows {
            if (size < 1 || step < 1) {
                throw new AnomalogException("window size and step must be whole numbers >= 1, got " + size + ","
                        + step);
            }
        }

        @Override
        public Grouper grouper(Function<String, Label> labels) {
            return Grouper.slidingWindow().size(size).step(step).build();
        }

        @Override
        public String unit() {
            return "windows";
        }

        @Override
        public String describe() {
            return "windows of " + size + " events every " + step;
        }

        @Override
        public Map<String, String> toMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("kind", "windows");
            m.put("size", String.valueOf(size));
            m.put("step", String.valueOf(step));
            return m;
        }
    }

    /**
     * Windows of {@code size} by event time, a new one every {@code step}, aligned to the epoch.
     *
     * @param grace live: how long after a window's end (in event time) its late lines are still taken
     */
    record TimeWindows(Duration size, Duration step, Duration grace) implements GroupingSpec {

        public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

        public TimeWindows {
            size = positive(size, "the time window size");
            step = positive(step == null ? size : step, "the time window step");
            grace = grace == null ? DEFAULT_GRACE : grace;
            if (grace.isNegative()) {
                throw new AnomalogException("the grace of time windows must not be negative, got " + grace);
            }
        }

        @Override
        public Grouper grouper(Function<String, Label> labels) {
            return Grouper.timeWindow().size(size).step(step).build();
        }

        @Override
        public String unit() {
            return "windows";
        }

        @Override
        public String describe() {
            return "time windows of " + size + " every " + step + " (grace " + grace + ")";
        }

        @Override
        public Map<String, String> toMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("kind", "time-windows");
            m.put("size", size.toString());
            m.put("step", step.toString());
            m.put("grace", grace.toString());
            return m;
        }
    }

    private static Duration positive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new AnomalogException(what + " must be positive, got " + d);
        }
        return d;
    }
}
