package io.anomalog.stream.feedback;

import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.topology.AnomalyRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the {@code anomalies} and {@code anomalog.feedback} topics into an {@link AnomalyHistory}: from their
 * beginning to their present end ({@link #catchUp}), and on from there while the caller wants ({@link #follow}).
 * It reads without a consumer group, so it moves no one's offsets and any number of readers may run. A record
 * that is not valid JSON of its type is counted and skipped.
 */
public final class HistoryReader implements AutoCloseable {

    private final KafkaConnection kafka;
    private final AnomalyHistory history;
    private final AtomicLong unreadable = new AtomicLong();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread follower;
    private volatile boolean closed;

    public HistoryReader(KafkaConnection kafka, AnomalyHistory history) {
        this.kafka = kafka;
        this.history = history;
        this.consumer = new KafkaConsumer<>(kafka.properties(Map.of("enable.auto.commit", "false",
                        "auto.offset.reset", "earliest", "request.timeout.ms", 10_000, "default.api.timeout.ms", 10_000)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Reads both topics from their beginning up to where they end now.
     *
     * @throws AnomalogException when the cluster does not answer within {@code timeout}
     */
    public synchronized void catchUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicPartition> parts = partitions(timeout);
        if (parts.isEmpty()) {
            return;
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
        while (!reached(end)) {
            if (System.nanoTime() > deadline) {
                throw new AnomalogException("Kafka at " + kafka.bootstrapServers() + " did not give the "
                        + Topics.ANOMALIES + " and " + Topics.FEEDBACK + " topics within " + timeout.toSeconds() + " s");
            }
            poll(Duration.ofMillis(200));
        }
    }

    /** Keeps reading in a daemon thread, adding what comes to the history, until {@link #close()}. */
    public synchronized void follow() {
        if (follower != null) {
            return;
        }
        if (consumer.assignment().isEmpty()) {
            catchUp(Duration.ofSeconds(30));
        }
        follower = new Thread(() -> {
            long lastAssign = System.nanoTime();
            while (!closed) {
                try {
                    if (consumer.assignment().size() < 2 && System.nanoTime() - lastAssign > 2_000_000_000L) {
                        // a topic created after the start (the first anomaly) is picked up within seconds
                        lastAssign = System.nanoTime();
                        List<TopicPartition> parts = partitions(Duration.ofSeconds(5));
                        if (parts.size() > consumer.assignment().size()) {
                            var known = consumer.assignment();
                            consumer.assign(parts);
                            List<TopicPartition> fresh = parts.stream().filter(p -> !known.contains(p)).toList();
                            consumer.seekToBeginning(fresh);
                        }
                    }
                    poll(Duration.ofMillis(250));
                } catch (WakeupException e) {
                    return;
                } catch (RuntimeException e) {
                    if (closed) {
                        return;
                    }
                    // the broker went away for a while: keep trying, as the detector does
                    sleep();
                }
            }
        }, "anomalog-history");
        follower.setDaemon(true);
        follower.start();
    }

    /** Records on the topics that could not be read as their type. */
    public long unreadable() {
        return unreadable.get();
    }

    private void poll(Duration d) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(d)) {
            if (r.value() == null) {
                continue;
            }
            try {
                if (Topics.ANOMALIES.equals(r.topic())) {
                    history.add(Json.MAPPER.readValue(r.value(), AnomalyRecord.class));
                } else {
                    history.add(Json.MAPPER.readValue(r.value(), FeedbackRecord.class));
                }
            } catch (IOException | RuntimeException e) {
                unreadable.incrementAndGet();
            }
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private List<TopicPartition> partitions(Duration timeout) {
        List<TopicPartition> parts = new ArrayList<>();
        try {
            Map<String, List<PartitionInfo>> topics = consumer.listTopics(timeout);
            for (String t : List.of(Topics.ANOMALIES, Topics.FEEDBACK)) {
                for (PartitionInfo p : topics.getOrDefault(t, List.of())) {
                    parts.add(new TopicPartition(t, p.partition()));
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new AnomalogException("Kafka at " + kafka.bootstrapServers() + " did not answer within "
                    + timeout.toSeconds() + " s");
        }
        return parts;
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread f = follower;
        if (f != null) {
            consumer.wakeup();
            try {
                f.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
