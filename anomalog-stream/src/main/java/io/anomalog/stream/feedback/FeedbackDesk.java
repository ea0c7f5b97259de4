package io.anomalog.stream.feedback;

import io.anomalog.core.util.AnomalogException;
import io.anomalog.stream.topology.AnomalyRecord;

import java.util.Objects;

/**
 * Where a verdict on an anomaly is given: it checks the verdict against the {@link AnomalyHistory} (the anomaly
 * must exist and have no verdict yet; the verdict must be one anomalog knows), then writes one
 * {@link FeedbackRecord}. Bad feedback is refused with a clear message and writes nothing. The command line and the
 * console both give verdicts here.
 */
public final class FeedbackDesk {

    /** Where accepted verdicts go (the feedback topic, or a list in tests). */
    @FunctionalInterface
    public interface Sink {
        /** Writes the record durably before returning. */
        void write(FeedbackRecord record);
    }

    /** The longest note kept; a longer one is refused rather than cut. */
    public static final int MAX_NOTE_CHARS = 2000;

    private final AnomalyHistory history;
    private final Sink sink;

    public FeedbackDesk(AnomalyHistory history, Sink sink) {
        this.history = Objects.requireNonNull(history, "history");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Gives a verdict.
     *
     * @param anomalyId the anomaly's id
     * @param verdict   {@code false-positive} or {@code confirmed}
     * @param note      free text, or null
     * @param who       who gives it
     * @return the record written
     * @throws AnomalogException naming the problem: unknown id, unknown verdict, a verdict given already, a note too
     *                           long
     */
    public synchronized FeedbackRecord submit(String anomalyId, String verdict, String note, String who) {
        FeedbackVerdict v = FeedbackVerdict.parse(verdict);
        String id = anomalyId == null ? "" : anomalyId.trim();
        if (id.isEmpty()) {
            throw new AnomalogException("no anomaly id given");
        }
        AnomalyRecord a = history.anomaly(id).orElseThrow(() -> new AnomalogException("no anomaly with id '" + id
                + "' (" + history.size() + " anomalies known): ids are the 'id' field of the anomalies topic and of"
                + " the console's list"));
        var earlier = history.feedbackOn(id);
        if (earlier.isPresent()) {
            FeedbackRecord f = earlier.get();
            throw new AnomalogException("anomaly " + id + " was marked " + f.verdict() + " already, by " + f.who()
                    + " at " + f.at() + (f.verdict() == v ? "" : ": a verdict is given once; to undo what it taught"
                    + " the model, roll the model back (anomalog model rollback)"));
        }
        String n = note == null || note.isBlank() ? null : note.strip();
        if (n != null && n.length() > MAX_NOTE_CHARS) {
            throw new AnomalogException("the note has " + n.length() + " characters; at most " + MAX_NOTE_CHARS);
        }
        String by = who == null || who.isBlank() ? "unknown" : who.strip();
        if (by.length() > 200) {
            throw new AnomalogException("the name of who gives the verdict is longer than 200 characters");
        }
        FeedbackRecord r = FeedbackRecord.of(a, v, n, by);
        sink.write(r);
        history.add(r);
        return r;
    }
}
