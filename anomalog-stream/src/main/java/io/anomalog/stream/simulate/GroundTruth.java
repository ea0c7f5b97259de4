package io.anomalog.stream.simulate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which simulated sessions are anomalous, as they are written: the labels a live run's precision and recall are
 * measured against. Thread-safe (one writer per host, one reader).
 */
public final class GroundTruth {

    /** What is known of one session: its label and when its last line was written (0 while still open). */
    public record Entry(boolean anomalous, long completedAtMillis) {
    }

    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final AtomicLong completedAnomalous = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();

    public static String key(String host, String sessionId) {
        return host + "/" + sessionId;
    }

    public void record(SimulatedLine line) {
        String k = key(line.host(), line.sessionId());
        if (line.lastOfSession()) {
            sessions.put(k, new Entry(line.anomalous(), System.currentTimeMillis()));
            completed.incrementAndGet();
            if (line.anomalous()) {
                completedAnomalous.incrementAndGet();
            }
        } else {
            sessions.putIfAbsent(k, new Entry(line.anomalous(), 0));
        }
    }

    /** The label of a session, or null when the simulation never wrote it. */
    public Boolean isAnomalous(String host, String sessionId) {
        Entry e = sessions.get(key(host, sessionId));
        return e == null ? null : e.anomalous();
    }

    /** Anomalous sessions whose last line was written before the given time. */
    public long anomalousCompletedBefore(long millis) {
        return sessions.values().stream().filter(e -> e.anomalous() && e.completedAtMillis() > 0
                && e.completedAtMillis() <= millis).count();
    }

    public long completedSessions() {
        return completed.get();
    }

    public long completedAnomalous() {
        return completedAnomalous.get();
    }
}
