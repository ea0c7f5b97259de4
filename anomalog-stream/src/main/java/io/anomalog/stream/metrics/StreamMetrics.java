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
    /** Model versions written by the online update, and updates held back for a confirmed anomaly. */
    public final LongAdder modelUpdates = new LongAdder();
    public final LongAdder modelUpdatesHeld = new LongAdder();
    /** Feedback records applied to the model (false positives learned). */
    public final LongAdder feedbackApplied = new LongAdder();
    private volatile java.util.function.Supplier<String> modelVersion = () -> null;
    private final Map<String, Long> openSessionsByTask = new ConcurrentHashMap<>();
    /** Open sessions of each task by host (a task may hold the partitions of several hosts). */
    private final Map<String, Map<String, Long>> openSessionsByTaskAndHost = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deadLettersByHost = new ConcurrentHashMap<>();
    private volatile LongSupplier lag = () -> -1;

    /** Open sessions of one stream task (each task reports its own store). */
    public void openSessions(String task, long n) {
        openSessionsByTask.put(task, n);
    }

    /**
     * Open sessions of one stream task, in all and by host.
     *
     * @param byHost a map the caller no longer changes
     */
    public void openSessions(String task, long n, Map<String, Long> byHost) {
        openSessionsByTask.put(task, n);
        openSessionsByTaskAndHost.put(task, byHost);
    }

    public void forgetTask(String task) {
        openSessionsByTask.remove(task);
        openSessionsByTaskAndHost.remove(task);
    }

    /** Open sessions by host, over every task that reports them by host. */
    public Map<String, Long> openSessionsByHost() {
        Map<String, Long> out = new java.util.TreeMap<>();
        openSessionsByTaskAndHost.values().forEach(m -> m.forEach((h, n) -> out.merge(h, n, Long::sum)));
        return out;
    }

    /** Counts a dead letter, and against its host when the record came from a host's topic (null: none). */
    public void deadLetter(String host) {
        deadLetters.increment();
        if (host != null) {
            deadLettersByHost.computeIfAbsent(host, h -> new LongAdder()).increment();
        }
    }

    /** Dead letters so far by host (those whose record came from a {@code logs.<host>} topic). */
    public Map<String, Long> deadLettersByHost() {
        Map<String, Long> out = new java.util.TreeMap<>();
        deadLettersByHost.forEach((h, n) -> out.put(h, n.sum()));
        return out;
    }

    public long openSessions() {
        return openSessionsByTask.values().stream().mapToLong(Long::longValue).sum();
    }

    public void lagSupplier(LongSupplier supplier) {
        this.lag = supplier;
    }

    /** Where the version the stream scores with is read from. */
    public void modelVersionSupplier(java.util.function.Supplier<String> supplier) {
        this.modelVersion = supplier;
    }

    public String modelVersion() {
        return modelVersion.get();
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
        labelled(sb, "anomalog_host_open_sessions", "Open sessions by host", "gauge", openSessionsByHost());
        labelled(sb, "anomalog_host_dead_letters_total", "Records of a host's topic sent to anomalog.deadletter",
                "counter", deadLettersByHost());
        gauge(sb, "anomalog_consumer_lag", "Records in logs.* topics not read yet (-1 when unknown)", lag());
        counter(sb, "anomalog_model_updates_total", "Model versions written by the online update", modelUpdates.sum());
        counter(sb, "anomalog_model_updates_held_total", "Online updates held back: a confirmed anomaly would turn normal",
                modelUpdatesHeld.sum());
        counter(sb, "anomalog_feedback_applied_total", "False-positive feedback learned by the model",
                feedbackApplied.sum());
        String version = modelVersion();
        if (version != null) {
            sb.append("# HELP anomalog_model_info The model version the stream scores with\n")
                    .append("# TYPE anomalog_model_info gauge\n")
                    .append("anomalog_model_info{version=\"").append(version.replace("\\", "\\\\").replace("\"", "\\\"")
                            .replace("\n", "\\n")).append("\"} 1\n");
        }
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(v).append('\n');
    }

    private static void labelled(StringBuilder sb, String name, String help, String type, Map<String, Long> byHost) {
        if (byHost.isEmpty()) {
            return;
        }
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
        byHost.forEach((h, v) -> sb.append(name).append("{host=\"").append(h.replace("\\", "\\\\")
                .replace("\"", "\\\"").replace("\n", "\\n")).append("\"} ").append(v).append('\n'));
    }

    private static void gauge(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(v).append('\n');
    }
}
