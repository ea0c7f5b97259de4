package io.anomalog.stream.topology;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.template.TemplateMiner;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.metrics.StreamMetrics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Kafka Streams topology of the detector service:
 * {@code logs.* -> parse -> session store -> score -> anomalies}, with side outputs to
 * {@code anomalog.deadletter} and {@code anomalog.templates}.
 *
 * <pre>{@code
 * Topology t = DetectorTopology.builder(miner, detector).format(format).sessionIds("blk_-?\\d+")
 *         .sessionGap(Duration.ofSeconds(5)).build();
 * }</pre>
 */
public final class DetectorTopology {

    /** Open sessions, one value per {@code host/sessionId}: head (line count, times) and lines. */
    public static final String SESSION_STORE = "open-sessions";
    static final String SOURCE = "logs";
    static final String PROCESSOR = "sessions";
    static final String ANOMALIES_SINK = "anomalies-sink";
    static final String DEAD_LETTER_SINK = "deadletter-sink";
    static final String TEMPLATES_SINK = "templates-sink";

    private DetectorTopology() {
    }

    public static Settings builder(TemplateMiner miner, Detector detector) {
        return new Settings(miner, detector);
    }

    /**
     * The usual start: parse with the model's Drain (aliases resolved) and give templates first seen in the stream
     * keys derived from their text ({@link LiveTemplateKeys}).
     */
    public static Settings builder(StreamModel model) {
        Settings s = new Settings(model.miner(), model.detector());
        s.keyOf = model.miner()::resolve;
        s.liveKeys = new LiveTemplateKeys(model.firstLiveTemplateId());
        return s;
    }

    /** Settings of the topology, builder style. */
    public static final class Settings {
        final TemplateMiner miner;
        final Detector detector;
        LogFormat format;
        java.util.function.IntUnaryOperator keyOf = java.util.function.IntUnaryOperator.identity();
        LiveTemplateKeys liveKeys = LiveTemplateKeys.none();
        Pattern topics = Topics.LOGS_PATTERN;
        SessionIds sessionIds = SessionIds.of(SessionIds.HDFS_BLOCK);
        Pattern endEvent;
        Duration sessionGap = Duration.ofSeconds(30);
        Duration punctuateInterval;
        int maxSessionLines = 10_000;
        StreamMetrics metrics = new StreamMetrics();
        String modelVersion;

        Settings(TemplateMiner miner, Detector detector) {
            this.miner = Objects.requireNonNull(miner, "miner");
            this.detector = Objects.requireNonNull(detector, "detector");
            this.modelVersion = detector.method() + "@" + detector.manifest().createdAt();
        }

        /** How lines split into header and content; null treats every message as content. */
        public Settings format(LogFormat format) {
            this.format = format;
            return this;
        }

        /**
         * Maps a parsed template id to the log key the detector knows; for Drain, {@code drain::resolve}, since
         * templates merged while streaming leave their old id as an alias of the surviving one.
         */
        public Settings keys(java.util.function.IntUnaryOperator keyOf) {
            this.keyOf = keyOf;
            return this;
        }

        /** How templates first seen in the stream get their keys; default: their template ids. */
        public Settings liveKeys(LiveTemplateKeys keys) {
            this.liveKeys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** Which topics to read (a regular expression); default every {@code logs.<host>} topic. */
        public Settings topics(String regex) {
            this.topics = Pattern.compile(regex);
            return this;
        }

        /** Regex finding the session id in a line's content (first group, else whole match). */
        public Settings sessionIds(String regex) {
            this.sessionIds = SessionIds.of(regex);
            return this;
        }

        /** A line whose content matches closes its session at once. */
        public Settings endEvent(String regex) {
            this.endEvent = regex == null ? null : Pattern.compile(regex);
            return this;
        }

        /** A session closes when no line arrived for this long (wall clock). */
        public Settings sessionGap(Duration gap) {
            this.sessionGap = gap;
            return this;
        }

        /** How often idle sessions are looked for; default a fifth of the gap, at least 50 ms, at most 1 s. */
        public Settings punctuateInterval(Duration d) {
            this.punctuateInterval = d;
            return this;
        }

        /** A session is closed and scored when it reaches this many lines. */
        public Settings maxSessionLines(int n) {
            this.maxSessionLines = Math.max(1, n);
            return this;
        }

        public Settings metrics(StreamMetrics m) {
            this.metrics = m;
            return this;
        }

        public Settings modelVersion(String v) {
            this.modelVersion = v;
            return this;
        }

        public StreamMetrics metrics() {
            return metrics;
        }

        public Topology build() {
            if (punctuateInterval == null) {
                long fifth = sessionGap.toMillis() / 5;
                punctuateInterval = Duration.ofMillis(Math.max(50, Math.min(1000, fifth)));
            }
            Topology t = new Topology();
            t.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                    topics);
            t.addProcessor(PROCESSOR, () -> new SessionProcessor(this), SOURCE);
            t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SESSION_STORE),
                    Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), PROCESSOR);
            t.addSink(ANOMALIES_SINK, Topics.ANOMALIES, Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                    PROCESSOR);
            t.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTER, Serdes.String().serializer(),
                    Serdes.ByteArray().serializer(), PROCESSOR);
            t.addSink(TEMPLATES_SINK, Topics.TEMPLATES, Serdes.String().serializer(), Serdes.ByteArray().serializer(),
                    PROCESSOR);
            return t;
        }
    }
}
