package io.anomalog.stream.feedback;

import io.anomalog.stream.topology.AnomalyRecord;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The anomalies seen so far and the verdicts given on them, by anomaly id: what {@code anomalog feedback} checks a
 * verdict against and what the console lists. Filled from the {@code anomalies} and {@code anomalog.feedback} topics
 * ({@link HistoryReader}); safe for one writer and many readers.
 */
public final class AnomalyHistory {

    private final Map<String, AnomalyRecord> anomalies = new LinkedHashMap<>();
    private final Map<String, FeedbackRecord> feedback = new LinkedHashMap<>();
    /** Feedback that arrived before its anomaly (topics are read side by side); matched when the anomaly comes. */
    private final List<FeedbackRecord> orphans = new ArrayList<>();

    /** Adds an anomaly; one already known by its id (judged again after a restart) is kept as first seen. */
    public synchronized void add(AnomalyRecord a) {
        if (a != null && a.id() != null) {
            anomalies.putIfAbsent(a.id(), a);
        }
    }

    /** Adds a verdict; only the first verdict on an anomaly counts, as {@link FeedbackDesk} refuses a second. */
    public synchronized void add(FeedbackRecord f) {
        if (f != null && f.anomalyId() != null) {
            if (feedback.putIfAbsent(f.anomalyId(), f) == null && !anomalies.containsKey(f.anomalyId())) {
                orphans.add(f);
            }
        }
    }

    public synchronized Optional<AnomalyRecord> anomaly(String id) {
        return Optional.ofNullable(anomalies.get(id));
    }

    /** The verdict given on an anomaly, if any. */
    public synchronized Optional<FeedbackRecord> feedbackOn(String id) {
        return Optional.ofNullable(feedback.get(id));
    }

    public synchronized int size() {
        return anomalies.size();
    }

    public synchronized int feedbackCount() {
        return feedback.size();
    }

    /** The anomalies that match, newest first. */
    public synchronized List<AnomalyRecord> list(Predicate<AnomalyRecord> filter) {
        List<AnomalyRecord> out = new ArrayList<>();
        for (AnomalyRecord a : anomalies.values()) {
            if (filter.test(a)) {
                out.add(a);
            }
        }
        Collections.reverse(out);
        return out;
    }

    /** Every verdict, in the order given. */
    public synchronized List<FeedbackRecord> feedback() {
        return List.copyOf(feedback.values());
    }

    /** Verdicts naming an anomaly this history has not seen (for a reader that says so). */
    public synchronized List<FeedbackRecord> orphans() {
        orphans.removeIf(f -> anomalies.containsKey(f.anomalyId()));
        return List.copyOf(orphans);
    }
}
