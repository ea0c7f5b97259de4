package io.anomalog.stream.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counters of the detector service, shared by all its stream threads, and written in the Prometheus text format.
 * Counters only grow; gauges (open sessions, consumer lag) are read when scraped.
 */
public final class StreamMetrics {

    public final LongAdder recordsIn = new LongAdder();
    public final LongAdder parsed = new LongAdder();
    public final LongAdder deadLetters = new LongAdder();
    public final LongAdder sessionsClosed = new LongAdder();
    public final LongAdder anomalies = new LongAdder();
    public final LongAdder newTemplates = new LongAdder();
    /** Shipper heartbeats read (records without a line that move a host's time on). */
    public final LongAdder heartbeats = new LongAdder();
    /** Sessions closed because they were open longer than the age cap. */
    public final LongAdder overlongSessions = new LongAdder();
    /** Sessions closed early because a task had more open than its cap. */
    public final LongAdder evictedSessions = new LongAdder();
    private final Map<String, Long> openSessionsByTask = new ConcurrentHashMap<>();
    private volatile LongSupplier lag = () -> -1;

    /** Open sessions of one stream task (each task reports its own store). */
    public void openSessions(String task, long n) {
        openSessionsByTask.put(task, n);
    }

    public void forgetTask(String task) {
        openSessionsByTask.remove(task);
    }

    public long openSessions() {
        return openSessionsByTask.values().stream().mapToLong(Long::longValue).sum();
    }

    public void lagSupplier(LongSupplier supplier) {
        this.lag = supplier;
    }

    public long lag() {
        return lag.getAsLong();
    }

    /** The Prometheus exposition text. */
    public String prometheus() {
        StringBuilder sb = new StringBuilder(1024);
        counter(sb, "anomalog_records_in_total", "Log records read from logs.* topics", recordsIn.sum());
        counter(sb, "anomalog_records_parsed_total", "Records parsed into log keys and added to a session", parsed.sum());
        counter(sb, "anomalog_dead_letters_total", "Records sent to anomalog.deadletter", deadLetters.sum());
        counter(sb, "anomalog_sessions_closed_total", "Sessions closed and scored", sessionsClosed.sum());
        counter(sb, "anomalog_anomalies_total", "Anomaly records written", anomalies.sum());
        counter(sb, "anomalog_new_templates_total", "Templates first seen in the stream", newTemplates.sum());
        counter(sb, "anomalog_heartbeats_total", "Shipper heartbeats read", heartbeats.sum());
        counter(sb, "anomalog_overlong_sessions_total", "Sessions closed at the age cap", overlongSessions.sum());
        counter(sb, "anomalog_evicted_sessions_total", "Sessions closed early at the open-session cap",
                evictedSessions.sum());
        gauge(sb, "anomalog_open_sessions", "Sessions waiting for more lines or their inactivity gap", openSessions());
        gauge(sb, "anomalog_consumer_lag", "Records in logs.* topics not read yet (-1 when unknown)", lag());
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(v).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(v).append('\n');
    }
}
