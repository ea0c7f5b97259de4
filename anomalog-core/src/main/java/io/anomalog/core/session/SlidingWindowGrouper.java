package io.anomalog.core.session;

import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the event stream into windows of {@code size} consecutive events that start every {@code step} events
 * (step = size gives fixed, non-overlapping windows). A final window shorter than size is kept when it holds
 * events no earlier window covered. Window ids are {@code w<first event index>}.
 */
public final class SlidingWindowGrouper implements Grouper {

    private final int size;
    private final int step;

    private SlidingWindowGrouper(int size, int step) {
        this.size = size;
        this.step = step;
    }

    @Override
    public Grouping group(List<ParsedEvent> events) {
        List<Sequence> out = new ArrayList<>();
        int covered = 0;
        for (int start = 0; start < events.size() && covered < events.size(); start += step) {
            int end = Math.min(events.size(), start + size);
            List<ParsedEvent> w = List.copyOf(events.subList(start, end));
            out.add(new Sequence("w" + start, Grouper.keysOf(w), Label.UNKNOWN, w));
            covered = end;
        }
        return new Grouping(out, List.of());
    }

    /** Configures a {@link SlidingWindowGrouper}. */
    public static final class Builder {
        private int size = 20;
        private int step = 1;

        public Builder size(int events) {
            this.size = events;
            return this;
        }

        public Builder step(int events) {
            this.step = events;
            return this;
        }

        public SlidingWindowGrouper build() {
            if (size < 1 || step < 1) {
                throw new AnomalogException("sliding window size and step must be >= 1, got size " + size
                        + ", step " + step);
            }
            return new SlidingWindowGrouper(size, step);
        }
    }
}
