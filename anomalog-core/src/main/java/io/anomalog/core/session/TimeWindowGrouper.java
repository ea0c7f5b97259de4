package io.anomalog.core.session;

import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Groups events into time windows of length {@code size} starting every {@code step} (step = size: tumbling
 * windows), aligned to the epoch. Event times come from the record's timestamp text through a
 * record's {@link io.anomalog.core.log.LogRecord#time() time} (its format's timestamp reader), or from a custom
 * function. Events are put in
 * time order first (stable, so equal times keep log order); events without a readable time are rejected. Empty
 * windows are not emitted. Window ids are the window start, ISO-8601.
 */
public final class TimeWindowGrouper implements Grouper {

    private final Duration size;
    private final Duration step;
    private final Function<ParsedEvent, Instant> clock;

    private TimeWindowGrouper(Builder b) {
        this.size = b.size;
        this.step = b.step;
        this.clock = b.clock;
    }

    @Override
    public Grouping group(List<ParsedEvent> events) {
        List<DeadLetter> rejected = new ArrayList<>();
        List<Timed> timed = new ArrayList<>();
        for (ParsedEvent e : events) {
            Instant t;
            try {
                t = clock.apply(e);
            } catch (RuntimeException ex) {
                t = null;
            }
            if (t == null) {
                rejected.add(new DeadLetter(e.record().source(), e.record().lineNumber(),
                        io.anomalog.core.ingest.LineProblem.NO_TIMESTAMP.reason() + " ('" + e.record().timestamp()
                                + "')", e.record().content()));
            } else {
                timed.add(new Timed(t.toEpochMilli(), e));
            }
        }
        timed.sort(Comparator.comparingLong(Timed::millis));
        List<Sequence> out = new ArrayList<>();
        if (timed.isEmpty()) {
            return new Grouping(out, rejected);
        }
        long sizeMs = size.toMillis();
        long stepMs = step.toMillis();
        long last = timed.get(timed.size() - 1).millis;
        long start = firstStartCovering(timed.get(0).millis, sizeMs, stepMs);
        int lo = 0;
        while (start <= last) {
            while (lo < timed.size() && timed.get(lo).millis < start) {
                lo++;
            }
            int hi = lo;
            while (hi < timed.size() && timed.get(hi).millis < start + sizeMs) {
                hi++;
            }
            if (hi > lo) {
                List<ParsedEvent> w = timed.subList(lo, hi).stream().map(Timed::event).toList();
                out.add(new Sequence(Instant.ofEpochMilli(start).toString(), Grouper.keysOf(w), Label.UNKNOWN, w));
                start += stepMs;
            } else {
                // an empty stretch: jump to the first window that holds the next event
                start = Math.max(start + stepMs, firstStartCovering(timed.get(lo).millis, sizeMs, stepMs));
            }
        }
        return new Grouping(out, rejected);
    }

    /** The earliest window start (a multiple of step) whose window [start, start + size) contains t. */
    private static long firstStartCovering(long t, long sizeMs, long stepMs) {
        return Math.floorDiv(t - sizeMs, stepMs) * stepMs + stepMs;
    }

    private record Timed(long millis, ParsedEvent event) {
    }

    /** Configures a {@link TimeWindowGrouper}. */
    public static final class Builder {
        private Duration size = Duration.ofMinutes(1);
        private Duration step;
        private Function<ParsedEvent, Instant> clock = e -> e.record().time();

        public Builder size(Duration windowSize) {
            this.size = windowSize;
            return this;
        }

        /** Start a window every step; defaults to the size (tumbling windows). */
        public Builder step(Duration windowStep) {
            this.step = windowStep;
            return this;
        }

        /** Reads {@code LogRecord.timestamp()} with this pattern instead of the format's reader. */
        public Builder timestampFormat(String pattern) {
            io.anomalog.core.log.TimeReader reader = io.anomalog.core.log.TimeReader.pattern(pattern);
            this.clock = e -> reader.read(e.record().timestamp());
            return this;
        }

        /** Any other way to tell an event's time; null means unknown. */
        public Builder clock(Function<ParsedEvent, Instant> eventTime) {
            this.clock = eventTime;
            return this;
        }

        public TimeWindowGrouper build() {
            if (step == null) {
                step = size;
            }
            if (size.isZero() || size.isNegative() || step.isZero() || step.isNegative()) {
                throw new AnomalogException("time window size and step must be positive");
            }
            if (clock == null) {
                throw new AnomalogException("a time window grouper needs a timestamp format or a clock");
            }
            return new TimeWindowGrouper(this);
        }
    }
}
