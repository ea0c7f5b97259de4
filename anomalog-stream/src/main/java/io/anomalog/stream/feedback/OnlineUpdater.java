package io.anomalog.stream.feedback;

import io.anomalog.core.detect.ModelRegistry;
import io.anomalog.core.detect.ModelUpdate;
import io.anomalog.core.detect.Updatable;
import io.anomalog.core.io.Json;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.Progress;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.topology.LineEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The online update of a running detector: it reads {@code anomalog.feedback} from its beginning, keeps every
 * confirmed anomaly as a regression case, and when false positives arrive (and no more came for a short
 * {@code settle} time, so a person marking several at once makes one version) it applies them with
 * {@link ModelUpdate} to the model directory's registry. The new version is written there; each stream instance's
 * {@link io.anomalog.stream.topology.LiveModel} sees it within its poll and swaps it in. Feedback some version
 * applied already is skipped, so reading the topic again after a restart changes nothing, and two instances
 * given the same feedback make one version (the registry's lock).
 */
public final class OnlineUpdater implements AutoCloseable {

    private final KafkaConnection kafka;
    private final Path modelDir;
    private final LineEvents events;
    private final Updatable.Settings settings;
    private final Duration settle;
    private final StreamMetrics metrics;
    private final Consumer<String> log;
    private final Map<String, ModelUpdate.Case> confirmed = new LinkedHashMap<>();
    private final Map<String, ModelUpdate.Case> pending = new LinkedHashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private long lastArrival;
    private long firstArrival;
    private volatile boolean closed;
    private Thread thread;

    public OnlineUpdater(KafkaConnection kafka, Path modelDir, LineEvents events, Updatable.Settings settings,
                         Duration settle, StreamMetrics metrics, Consumer<String> log) {
        this.kafka = kafka;
        this.modelDir = modelDir;
        this.events = events;
        this.settings = settings;
        this.settle = settle;
        this.metrics = metrics;
        this.log = log;
        this.consumer = new KafkaConsumer<>(kafka.properties(Map.of("enable.auto.commit", "false",
                "auto.offset.reset", "earliest", "request.timeout.ms", 10_000, "default.api.timeout.ms", 10_000)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Starts reading in a daemon thread. */
    public synchronized OnlineUpdater start() {
        thread = new Thread(this::run, "anomalog-online-update");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run() {
        while (!closed) {
            try {
                if (consumer.assignment().isEmpty() && !assign()) {
                    sleep(1000);
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    take(r);
                }
                if (!pending.isEmpty() && System.nanoTime() - lastArrival >= settle.toNanos()) {
                    update();
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                log.accept("online update: " + e.getMessage());
                sleep(1000);
            }
        }
    }

    private boolean assign() {
        List<TopicPartition> parts = new ArrayList<>();
        try {
            for (PartitionInfo p : consumer.listTopics(Duration.ofSeconds(5)).getOrDefault(Topics.FEEDBACK, List.of())) {
                parts.add(new TopicPartition(Topics.FEEDBACK, p.partition()));
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return false;
        }
        if (parts.isEmpty()) {
            return false;
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return true;
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        FeedbackRecord f;
        try {
            f = Json.MAPPER.readValue(r.value(), FeedbackRecord.class);
        } catch (java.io.IOException | RuntimeException e) {
            return; // the history reader counts unreadable records; nothing to learn from one
        }
        if (f.anomalyId() == null || f.verdict() == null || f.keys() == null) {
            return;
        }
        ModelUpdate.Case c = new ModelUpdate.Case(f.anomalyId(), sequence(f));
        if (f.verdict() == FeedbackVerdict.CONFIRMED) {
            confirmed.put(f.anomalyId(), c);
        } else {
            if (pending.isEmpty()) {
                firstArrival = System.nanoTime();
            }
            pending.put(f.anomalyId(), c);
            lastArrival = System.nanoTime();
        }
    }

    /** The marked session as the detector saw it: its keys, and its lines read again as events. */
    Sequence sequence(FeedbackRecord f) {
        List<String> lines = f.lines() == null ? List.of() : f.lines();
        List<ParsedEvent> evs = new ArrayList<>(events.ofTexts(lines, f.keys()));
        for (int i = 0; i < evs.size(); i++) {
            ParsedEvent e = evs.get(i);
            String known = f.unknownTemplates() == null ? null : f.unknownTemplates().get(e.templateId());
            if (e.template() == null && known != null) {
                evs.set(i, new ParsedEvent(e.record(), e.templateId(), known, e.parameters()));
            }
        }
        return new Sequence(f.sessionId(), f.keys(), f.verdict() == FeedbackVerdict.CONFIRMED ? Label.ANOMALOUS
                : Label.NORMAL, evs);
    }

    private void update() {
        List<ModelUpdate.Case> fps = new ArrayList<>(pending.values());
        pending.clear();
        try {
            ModelUpdate.Outcome o = ModelUpdate.apply(ModelRegistry.of(modelDir), fps,
                    new ArrayList<>(confirmed.values()), false, "online update", settings, Progress.NONE);
            if (o.version() == null) {
                return; // all applied before (the topic read again after a restart)
            }
            metrics.modelUpdates.increment();
            metrics.feedbackApplied.add(o.version().feedback().size());
            if (!o.activated()) {
                metrics.modelUpdatesHeld.increment();
            }
            log.accept(String.format(java.util.Locale.ROOT, "online update: %s (%.1f s after the feedback was read)",
                    o.summary(), (System.nanoTime() - firstArrival) / 1e9));
        } catch (java.io.IOException | RuntimeException e) {
            // the feedback stays on the topic; a later start (or anomalog train --update) can apply it
            log.accept("online update failed for " + fps.size() + " false positive(s): " + e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            consumer.wakeup();
            try {
                t.join(60_000); // an update in progress finishes writing its version
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        consumer.close(Duration.ofSeconds(2));
    }
}
