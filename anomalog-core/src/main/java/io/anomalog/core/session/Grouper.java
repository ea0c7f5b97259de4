package io.anomalog.core.session;

import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.template.ParsedEvent;

import java.util.List;

/**
 * Turns parsed events (in log order) into the sequences detectors judge: sessions by an id in the line, sliding
 * windows of a fixed number of events, or time windows. Sequences keep their events, so explanations can show
 * the log lines. Built with {@link #bySession()}, {@link #slidingWindow()} or {@link #timeWindow()}:
 * <pre>{@code
 * Grouper blocks = Grouper.bySession().idPattern("blk_-?\\d+").build();
 * Grouping g = blocks.group(events);
 * }</pre>
 */
public interface Grouper {

    /** The sequences, and the events that could not be placed in any (with the reason). */
    record Grouping(List<Sequence> sequences, List<DeadLetter> rejected) {
    }

    Grouping group(List<ParsedEvent> events);

    static SessionGrouper.Builder bySession() {
        return new SessionGrouper.Builder();
    }

    static SlidingWindowGrouper.Builder slidingWindow() {
        return new SlidingWindowGrouper.Builder();
    }

    static TimeWindowGrouper.Builder timeWindow() {
        return new TimeWindowGrouper.Builder();
    }

    /** The log keys of events, in order. */
    static int[] keysOf(List<ParsedEvent> events) {
        int[] keys = new int[events.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = events.get(i).templateId();
        }
        return keys;
    }
}
