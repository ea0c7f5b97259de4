package io.anomalog.stream.topology;

import io.anomalog.core.util.AnomalogException;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.metrics.StreamMetrics;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the detector topology as a Kafka Streams application with exactly-once processing. Several instances
 * with the same application id split the {@code logs.*} partitions between them; a restarted instance restores
 * its open sessions from the store's changelog and goes on.
 *
 * <pre>{@code
 * try (DetectorService svc = DetectorService.builder(kafka, topology).applicationId("anomalog").build()) {
 *     svc.start();
 * }
 * }</pre>
 */
public final class DetectorService implements AutoCloseable {

    private final KafkaStreams streams;
    private final StreamMetrics metrics;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private DetectorService(Builder b) {
        this.metrics = b.topology.metrics();
        Topics.ensure(b.kafka, Topics.serviceTopics(b.partitions, b.replicationFactor));
        Map<String, Object> p = new HashMap<>();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, b.applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, b.threads);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, b.commitIntervalMillis);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, b.replicationFactor);
        if (b.replicationFactor >= 3) {
            // the changelogs of open sessions survive a broker failing, and an acknowledged write sits on two
            p.put(StreamsConfig.topicPrefix("min.insync.replicas"), "2");
        }
        p.put(StreamsConfig.STATE_DIR_CONFIG, b.stateDir.toString());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
        // New logs.<host> topics are picked up quickly.
        p.put(StreamsConfig.consumerPrefix("metadata.max.age.ms"), b.metadataMaxAgeMillis);
        p.put(StreamsConfig.consumerPrefix("max.poll.records"), 2000);
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // A stopped instance leaves its group at once, so the others take over its partitions without waiting
        // for the session timeout.
        p.put(StreamsConfig.consumerPrefix("internal.leave.group.on.close"), true);
        // Under exactly-once nothing written is visible before the transaction commits, so waiting to fill a batch
        // costs no latency, and large batches cost far less CPU: every batch starts a new compression stream and
        // a new request to the broker.
        p.put(StreamsConfig.producerPrefix("linger.ms"), 20);
        p.put(StreamsConfig.producerPrefix("batch.size"), 256 * 1024);
        p.put(StreamsConfig.producerPrefix("compression.type"), "lz4");
        p.putAll(b.streamsOverrides);
        streams = new KafkaStreams(b.topology.build(), b.kafka.properties(p));
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        metrics.lagSupplier(this::consumerLag);
    }

    public static Builder builder(KafkaConnection kafka, DetectorTopology.Settings topology) {
        return new Builder(kafka, topology);
    }

    /** Starts and waits until the application is running (partitions assigned, stores restored). */
    public DetectorService start(Duration timeout) {
        return start(timeout, message -> { });
    }

    /**
     * Starts and waits until the application is running, telling {@code progress} every few seconds what it waits
     * for (joining the group, restoring open sessions from the changelog), so a restart is not a silent wait.
     */
    public DetectorService start(Duration timeout, java.util.function.Consumer<String> progress) {
        streams.start();
        long started = System.currentTimeMillis();
        long deadline = started + timeout.toMillis();
        long lastSaid = started;
        while (streams.state() != KafkaStreams.State.RUNNING) {
            long now = System.currentTimeMillis();
            if (now - lastSaid >= 5_000) {
                lastSaid = now;
                progress.accept(String.format(java.util.Locale.ROOT, "starting, %d s: %s", (now - started) / 1000,
                        streams.state() == KafkaStreams.State.REBALANCING
                                ? "joining the group and restoring open sessions from their changelog (a restart "
                                + "waits until the group has settled)" : "state " + streams.state()));
            }
            if (failure.get() != null || streams.state() == KafkaStreams.State.ERROR
                    || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new AnomalogException("detector stopped while starting: " + failure.get());
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AnomalogException("detector not running after " + timeout.toSeconds() + " s (state "
                        + streams.state() + ")");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AnomalogException("interrupted while starting");
            }
        }
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The topics whose partitions this instance's stream threads process now (empty while rebalancing). */
    public java.util.Set<String> assignedTopics() {
        java.util.Set<String> topics = new java.util.TreeSet<>();
        for (var thread : streams.metadataForLocalThreads()) {
            for (var task : thread.activeTasks()) {
                task.topicPartitions().forEach(tp -> topics.add(tp.topic()));
            }
        }
        return topics;
    }

    /** The error that stopped the service, or null. */
    public Throwable failure() {
        return failure.get();
    }

    public StreamMetrics metrics() {
        return metrics;
    }

    /** Sum of the consumer's per-partition lag over the logs.* partitions it reads, or -1 when unknown. */
    private long consumerLag() {
        double lag = 0;
        boolean found = false;
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (n.name().equals("records-lag") && n.group().equals("consumer-fetch-manager-metrics")
                    && n.tags().getOrDefault("topic", "").startsWith(Topics.LOGS_PREFIX)) {
                Object v = e.getValue().metricValue();
                if (v instanceof Double d && !d.isNaN()) {
                    lag += d;
                    found = true;
                }
            }
        }
        return found ? (long) lag : -1;
    }

    @Override
    public void close() {
        // Leaving the group hands the partitions to the other instances at once instead of after a timeout.
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
    }

    /** Settings of a {@link DetectorService}. */
    public static final class Builder {
        private final KafkaConnection kafka;
        private final DetectorTopology.Settings topology;
        private String applicationId = "anomalog-detector";
        private int threads = 1;
        private long commitIntervalMillis = 500;
        private int partitions = 3;
        private int replicationFactor = 1;
        private long metadataMaxAgeMillis = 5_000;
        private Path stateDir = Path.of(System.getProperty("java.io.tmpdir"), "anomalog-streams");
        private final Map<String, Object> streamsOverrides = new HashMap<>();

        Builder(KafkaConnection kafka, DetectorTopology.Settings topology) {
            this.kafka = kafka;
            this.topology = topology;
        }

        /** Instances with the same id share the work; a new id starts from the beginning of the topics. */
        public Builder applicationId(String id) {
            this.applicationId = id;
            return this;
        }

        public Builder threads(int n) {
            this.threads = Math.max(1, n);
            return this;
        }

        /**
         * How often results are committed (one Kafka transaction each); anomalies become visible to readers at
         * commit, so this bounds the added latency. Default 500 ms.
         */
        public Builder commitIntervalMillis(long ms) {
            this.commitIntervalMillis = ms;
            return this;
        }

        /** Partitions and replication of the service topics (and of internal topics) when created. */
        public Builder topics(int partitions, int replicationFactor) {
            this.partitions = partitions;
            this.replicationFactor = replicationFactor;
            return this;
        }

        public Builder stateDir(Path dir) {
            this.stateDir = dir;
            return this;
        }

        /** How often topic metadata is refreshed, so new {@code logs.<host>} topics join the subscription. */
        public Builder metadataMaxAgeMillis(long ms) {
            this.metadataMaxAgeMillis = ms;
            return this;
        }

        /** Any Kafka Streams setting. */
        public Builder streamsProperty(String key, Object value) {
            streamsOverrides.put(key, value);
            return this;
        }

        public DetectorService build() {
            return new DetectorService(this);
        }
    }
}
