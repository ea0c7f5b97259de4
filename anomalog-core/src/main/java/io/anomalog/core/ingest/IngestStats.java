package io.anomalog.core.ingest;

import io.anomalog.core.log.LogReader;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one ingest pipeline met, counted the same way by every command and the stream. Thread-safe.
 */
public final class IngestStats {

    private final LongAdder lines = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder empty = new LongAdder();
    private final LongAdder invalidBytes = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final Map<LineProblem, LongAdder> problems = new EnumMap<>(LineProblem.class);
    private final Map<LineProblem, LongAdder> deadLettered = new EnumMap<>(LineProblem.class);

    public IngestStats() {
        for (LineProblem p : LineProblem.values()) {
            problems.put(p, new LongAdder());
            deadLettered.put(p, new LongAdder());
        }
    }

    /** Lines read (empty ones included). */
    public long lines() {
        return lines.sum();
    }

    public long bytes() {
        return bytes.sum();
    }

    public long emptyLines() {
        return empty.sum();
    }

    /** Lines that held invalid UTF-8 or NUL bytes (replaced by U+FFFD). */
    public long linesWithInvalidBytes() {
        return invalidBytes.sum();
    }

    /** Parsed events produced. */
    public long events() {
        return events.sum();
    }

    /** Lines that had this problem (kept or dead-lettered). */
    public long count(LineProblem p) {
        return problems.get(p).sum();
    }

    /** Lines dead-lettered for this problem. */
    public long deadLettered(LineProblem p) {
        return deadLettered.get(p).sum();
    }

    /** Every line dead-lettered. */
    public long deadLettered() {
        return deadLettered.values().stream().mapToLong(LongAdder::sum).sum();
    }

    void line() {
        lines.increment();
    }

    void event() {
        events.increment();
    }

    void problem(LineProblem p, boolean deadLetter) {
        problems.get(p).increment();
        if (deadLetter) {
            deadLettered.get(p).increment();
        }
    }

    /** Counts what a file reader met on its own: physical lines, empty ones, undecodable bytes, the bytes read. */
    void addReader(LogReader.Stats s) {
        lines.add(s.lines() - s.records());     // the records themselves were counted one by one
        empty.add(s.emptyLines());
        invalidBytes.add(s.linesWithInvalidBytes());
        bytes.add(s.bytes());
    }

    /** Counts input bytes read where no {@link LogReader} read them (lines split on another thread). */
    void addBytes(long n) {
        bytes.add(n);
    }

    /** One line for a terminal summary, naming each problem met. */
    public String summary() {
        return String.format(Locale.ROOT, "%,d lines, %,d events", lines(), events()) + problems();
    }

    /** Each problem met, as "; N reason (kept|dead-lettered)" parts; empty when there was none. */
    public String problems() {
        StringBuilder sb = new StringBuilder();
        for (LineProblem p : LineProblem.values()) {
            long n = count(p);
            if (n > 0) {
                long dl = deadLettered(p);
                sb.append(String.format(Locale.ROOT, "; %,d %s (%s)", n, p.reason(),
                        dl == n ? "dead-lettered" : dl == 0 ? "kept" : String.format(Locale.ROOT, "%,d dead-lettered", dl)));
            }
        }
        if (emptyLines() > 0) {
            sb.append(String.format(Locale.ROOT, "; %,d empty lines skipped", emptyLines()));
        }
        if (linesWithInvalidBytes() > 0) {
            sb.append(String.format(Locale.ROOT, "; %,d lines with undecodable bytes (kept, as U+FFFD)",
                    linesWithInvalidBytes()));
        }
        return sb.toString();
    }
}
