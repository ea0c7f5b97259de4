package io.anomalog.stream.topology;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.features.WindowFeatureModel;
import io.anomalog.core.features.WindowFeatures;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.SessionIdRule;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.metrics.StreamMetrics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The Kafka Streams topology of the detector service, one stage per job:
 * <pre>
 *   logs.*  ->  decode  ->  parse  ->  sessions | windows  ->  score  ->  anomalies
 *                 |           |-> anomalog.templates (templates the model has no key for)
 *                 |           |-> logs.parsed (every parsed event, when on)
 *                 '-----------'-----------'-> anomalog.deadletter
 * </pre>
 * {@link DecodeStage} and {@link ParseStage} run the same {@link IngestPipeline} as the batch commands;
 * {@link SessionStage} or {@link WindowStage} groups as the {@link GroupingSpec} says; {@link ScoreStage} judges.
 * Stages pass Java objects to each other within the task; every topic boundary has a typed serde. A further stage
 * (a second model, a feedback reader) plugs in between {@link #GROUP} and {@link #SCORE}, or after {@link #SCORE}.
 *
 * <pre>{@code
 * Topology t = DetectorTopology.builder(pipeline, detector).grouping(GroupingSpec.Sessions.byPattern("blk_-?\\d+"))
 *         .build();
 * }</pre>
 */
public final class DetectorTopology {

    /** The grouping stage's store: open sessions (heads and chunks of lines) or windowed events, per host. */
    public static final String GROUP_STORE = "open-groups";
    static final String SOURCE = "logs";
    static final String DECODE = "decode";
    static final String PARSE = "parse";
    static final String GROUP = "group";
    static final String SCORE = "score";
    static final String ANOMALIES_SINK = "anomalies-sink";
    static final String DEAD_LETTER_SINK = "deadletter-sink";
    static final String TEMPLATES_SINK = "templates-sink";
    static final String PARSED_SINK = "parsed-sink";

    /** How long a host without heartbeats may send nothing before its last sessions close by the wall clock. */
    public static final Duration DEFAULT_QUIET_HOST = Duration.ofMinutes(5);
    /** The most sessions one stream task keeps open by default. */
    public static final int DEFAULT_MAX_OPEN_SESSIONS = 100_000;

    private DetectorTopology() {
    }

    public static Settings builder(IngestPipeline pipeline, Detector detector) {
        return new Settings(pipeline, LiveModel.fixed(detector, detector.method() + "@"
                + detector.manifest().createdAt()));
    }

    /** A topology whose model may change while it runs (see {@link LiveModel#watching}). */
    public static Settings builder(IngestPipeline pipeline, LiveModel model) {
        return new Settings(pipeline, model);
    }

    /** Settings of the topology, builder style. */
    public static final class Settings {
        final IngestPipeline pipeline;
        LiveModel model;
        /** Keys of the model the stream started with: templates outside it are published with their text. */
        final Set<Integer> vocabulary;
        /** Text of each template first met in the stream that the model has no key for, by key. */
        final Map<Integer, String> unknownTemplates = new ConcurrentHashMap<>();
        GroupingSpec grouping = GroupingSpec.Sessions.byPattern(SessionIdRule.HDFS_BLOCK);
        Pattern topics = Topics.LOGS_PATTERN;
        Duration punctuateInterval;
        /** Windows of events: a host quiet this long gets its pending events as one last window. */
        Duration idleGap = GroupingSpec.Sessions.DEFAULT_GAP;
        boolean publishParsed = true;
        boolean inMemoryState;
        /** A host without heartbeats that sent nothing for this long has its time moved on to the wall clock. */
        Duration quietHost = DEFAULT_QUIET_HOST;
        /** The most sessions one task keeps open; beyond it the one quiet for longest is closed ("evicted"). */
        int maxOpenSessions = DEFAULT_MAX_OPEN_SESSIONS;
        StreamMetrics metrics = new StreamMetrics();
        /** How windows become feature vectors, for a model that judges them; null for key models. */
        WindowFeatureModel features;

        Settings(IngestPipeline pipeline, LiveModel model) {
            this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
            this.model = Objects.requireNonNull(model, "model");
            this.vocabulary = model.current().vocabulary();
        }

        /** How events become sessions or windows; default: sessions by HDFS block id. */
        public Settings grouping(GroupingSpec g) {
            this.grouping = Objects.requireNonNull(g, "grouping");
            if (g instanceof GroupingSpec.Sessions s) {
                this.idleGap = s.gap();
            }
            return this;
        }

        public GroupingSpec grouping() {
            return grouping;
        }

        /** Which topics to read (a regular expression); default every {@code logs.<host>} topic. */
        public Settings topics(String regex) {
            this.topics = Pattern.compile(regex);
            return this;
        }

        /** How often idle sessions and windows are looked for; default a fifth of the gap, 50 ms to 1 s. */
        public Settings punctuateInterval(Duration d) {
            this.punctuateInterval = d;
            return this;
        }

        /** Windows of events: how long a host may be quiet before its pending events close as a last window. */
        public Settings idleGap(Duration d) {
            this.idleGap = d;
            return this;
        }

        /**
         * A host whose records carry no shipper heartbeats (Filebeat, rsyslog, a plain producer) and that sent
         * nothing for this long of wall clock is taken to be quiet: its sessions and windows close as its time had
         * moved on (default 5 minutes). Hosts with heartbeats never close by the wall clock, so no broker outage or
         * detector lag splits their sessions.
         */
        public Settings quietHost(Duration d) {
            this.quietHost = Objects.requireNonNull(d, "quietHost");
            return this;
        }

        /**
         * The most sessions one stream task keeps open (default 100,000): a flood of distinct session ids closes the
         * sessions quiet for longest early (scored, close reason {@code evicted}, counted) instead of growing the
         * state without bound.
         */
        public Settings maxOpenSessions(int n) {
            if (n < 1) {
                throw new io.anomalog.core.util.AnomalogException("the most open sessions must be at least 1, got " + n);
            }
            this.maxOpenSessions = n;
            return this;
        }

        /** Whether every parsed event is written to {@code logs.parsed} (default true). */
        public Settings publishParsed(boolean on) {
            this.publishParsed = on;
            return this;
        }

        /**
         * Keeps the grouping stage's store in memory instead of RocksDB: still backed by its changelog topic, so a
         * restarted or moved task gets it back, but bounded by the heap. Tests use it: a test driver flushes the
         * store after every record.
         */
        public Settings inMemoryState(boolean on) {
            this.inMemoryState = on;
            return this;
        }

        /**
         * The window feature model of a model that judges feature vectors ({@link StreamModel#features()}): the
         * window stage then keeps each event's fields and computes every window's vector per service and host with
         * it, as {@code detect} does. Null (the default) for models of log keys, whose events are stored without
         * their fields.
         */
        public Settings features(WindowFeatureModel f) {
            this.features = f;
            return this;
        }

        public Settings metrics(StreamMetrics m) {
            this.metrics = m;
            return this;
        }

        /** The version name anomalies carry, for a fixed model (a watched one names its registry's versions). */
        public Settings modelVersion(String v) {
            this.model = LiveModel.fixed(model.current().detector(), v);
            return this;
        }

        public LiveModel model() {
            return model;
        }

        public StreamMetrics metrics() {
            return metrics;
        }

        public IngestPipeline pipeline() {
            return pipeline;
        }

        private void checkFeatures() {
            boolean needs = model.current().detector().needsFeatures();
            if (needs && features == null) {
                throw new AnomalogException("the " + model.current().detector().method() + " model judges window "
                        + "feature vectors: give the topology its window feature model (StreamModel.features())");
            }
            if (features == null) {
                return;
            }
            if (!(grouping instanceof GroupingSpec.TimeWindows t) || !t.step().equals(t.size())
                    || !t.size().equals(features.width())) {
                throw new AnomalogException("the model's feature vectors are of time windows of "
                        + WindowFeatures.describe(features.width()) + " that do not overlap; the stream groups by "
                        + grouping.describe() + ": drop --time-window and --window to use the model's");
            }
        }

        void resolvePunctuateInterval() {
            if (punctuateInterval == null) {
                long fifth = idleGap.toMillis() / 5;
                punctuateInterval = Duration.ofMillis(Math.max(50, Math.min(1000, fifth)));
            }
        }

        public Topology build() {
            checkFeatures();
            resolvePunctuateInterval();
            Topology t = new Topology();
            t.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), topics);
            t.addProcessor(DECODE, () -> new DecodeStage(pipeline, metrics), SOURCE);
            t.addProcessor(PARSE, () -> new ParseStage(this), DECODE);
            // the grouping stage also gets the shippers' heartbeats straight from the decode stage
            if (grouping instanceof GroupingSpec.Sessions s) {
                t.addProcessor(GROUP, () -> new SessionStage(this, s), PARSE, DECODE);
            } else {
                t.addProcessor(GROUP, () -> new WindowStage(this, grouping), PARSE, DECODE);
            }
            t.addStateStore(Stores.keyValueStoreBuilder(inMemoryState ? Stores.inMemoryKeyValueStore(GROUP_STORE)
                    : Stores.persistentKeyValueStore(GROUP_STORE), Serdes.String(), Serdes.ByteArray())
                    .withCachingEnabled(), GROUP);
            t.addProcessor(SCORE, () -> new ScoreStage(this), GROUP);
            t.addSink(ANOMALIES_SINK, Topics.ANOMALIES, Serdes.String().serializer(),
                    JsonSerde.of(AnomalyRecord.class).serializer(), SCORE);
            t.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTER, Serdes.String().serializer(),
                    JsonSerde.of(DeadLetter.class).serializer(), DECODE, PARSE, GROUP);
            t.addSink(TEMPLATES_SINK, Topics.TEMPLATES, Serdes.String().serializer(), Serdes.String().serializer(),
                    PARSE);
            if (publishParsed) {
                t.addSink(PARSED_SINK, Topics.PARSED, Serdes.String().serializer(),
                        JsonSerde.of(ParsedEventRecord.class).serializer(), PARSE);
            }
            return t;
        }
    }
}
