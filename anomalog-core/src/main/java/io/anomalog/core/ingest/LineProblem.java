package io.anomalog.core.ingest;

/**
 * What can be wrong with one line, as every command and the stream count it. Each has one fixed outcome (see
 * {@link BadLinePolicy}): the line is kept and counted, or it goes to the dead letters with the reason in words.
 */
public enum LineProblem {
    /** The line does not fit the log format's header: kept with the whole line as content, or dead-lettered. */
    NOT_IN_FORMAT("line does not match log format"),
    /** A Kafka record with no bytes at all. Dead-lettered. */
    EMPTY_RECORD("empty record"),
    /** A Kafka record that looks like a JSON event but is not a usable one. Dead-lettered. */
    NOT_AN_EVENT("not a usable JSON log event"),
    /** Mostly undecodable or control bytes: no message worth a template. Always dead-lettered. */
    UNUSABLE("mostly binary or undecodable bytes"),
    /** Longer than the line cap: cut and kept, counted. */
    TRUNCATED("line longer than the cap, cut"),
    /** The template miner failed on the line (should not happen; kept as a dead letter, never lost). */
    NOT_PARSED("template parsing failed"),
    /** Grouping by session id, and the line has none: dead-lettered. */
    NO_SESSION_ID("no session id"),
    /** Grouping by time windows, and the line has no readable timestamp: dead-lettered. */
    NO_TIMESTAMP("no readable timestamp"),
    /** Live time windows: the line came after its windows had closed (later than the grace). Dead-lettered. */
    LATE("later than its time window's grace");

    private final String reason;

    LineProblem(String reason) {
        this.reason = reason;
    }

    /** The reason in words, as dead letters carry it. */
    public String reason() {
        return reason;
    }
}
