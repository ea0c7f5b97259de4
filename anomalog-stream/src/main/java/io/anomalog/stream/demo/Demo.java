package io.anomalog.stream.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.detect.Params;
import io.anomalog.core.io.Json;
import io.anomalog.core.ingest.BadLinePolicy;
import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.SessionIdRule;
import io.anomalog.core.util.Progress;
import io.anomalog.stream.broker.EmbeddedKafka;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.metrics.MetricsServer;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.simulate.GroundTruth;
import io.anomalog.stream.simulate.HdfsLineRenderer;
import io.anomalog.stream.simulate.HdfsSimulator;
import io.anomalog.stream.simulate.KeySessions;
import io.anomalog.stream.simulate.LiveLogWriter;
import io.anomalog.stream.ship.Shipper;
import io.anomalog.stream.topology.DetectorService;
import io.anomalog.stream.topology.DetectorTopology;
import io.anomalog.stream.topology.StreamModel;
import io.anomalog.stream.topology.AnomalyRecord;
import io.anomalog.stream.topology.LiveModel;
import io.anomalog.stream.feedback.FeedbackRecord;
import io.anomalog.stream.feedback.FeedbackVerdict;
import io.anomalog.stream.feedback.FeedbackWriter;
import io.anomalog.stream.feedback.LiveLearning;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The whole pipeline on one machine with nothing to install: an embedded Kafka broker, a detector trained from
 * bundled normal HDFS sessions, three simulated hosts writing log files, one shipper per host publishing to
 * {@code logs.<host>}, the Kafka Streams detector, and a live report of each anomaly with precision and recall
 * against the simulation's labels.
 */
public final class Demo {

    /** Settings of a demo run. */
    public static final class Settings {
        public int hosts = 3;
        public double linesPerSecondPerHost = 300;
        public double anomalyRate = 0.05;
        public Duration duration = Duration.ofSeconds(60);
        /** How the simulated lines are read, for training and live alike. */
        public FormatSpec format = FormatSpec.preset("hdfs");
        public BadLinePolicy policy = BadLinePolicy.defaults();
        /** How lines become sessions or windows, for training and live alike. */
        public GroupingSpec grouping = GroupingSpec.Sessions.byPattern(SessionIdRule.HDFS_BLOCK)
                .withGap(Duration.ofSeconds(3));
        public int concurrentSessions = 8;
        public int trainingSessions = 1500;
        public String method = "deeplog";
        public Map<String, String> params = new HashMap<>();
        public Path model;
        public Path workDir;
        public int metricsPort = -1;
        public long seed = 7;
        public boolean quiet;
        /** Halfway through, normal sessions change as after an upgrade (a new template in their workflow). */
        public boolean upgrade = true;
        /**
         * False alarms after the upgrade that a simulated operator marks as false positives (and true anomalies
         * it confirms); 0 leaves the judging to a person ({@code anomalog feedback}).
         */
        public int operatorMarks = 3;
        /** Learn from feedback while running (the stream's online update). */
        public boolean onlineUpdate = true;
        /** Starts the web console once the detector runs (null: no console). */
        public ConsoleStarter console;
    }

    /** The figures a run ends with. */
    public record Summary(long linesWritten, long linesShipped, long recordsIn, long deadLetters, long sessionsClosed,
                          long anomalies, long truePositives, long falsePositives, long duplicates,
                          long anomalousSessions, double precision, double recall, long modelUpdates,
                          long falseAlarmsBeforeUpgrade, long falseAlarmsUpgradeOldModel,
                          long falseAlarmsUpgradeNewModel) {
    }

    private final Settings s;
    private final PrintStream out;
    private final Progress progress;
    private volatile boolean stopRequested;
    private volatile GroundTruth groundTruth;
    private final CountDownLatch finished = new CountDownLatch(1);
    private Path modelDir;
    private volatile long upgradeAt = Long.MAX_VALUE;
    private volatile String firstVersion;
    private FeedbackWriter operator;
    private int marked;
    private int confirmed;
    private long falseAlarmsBefore;
    private long falseAlarmsOld;
    private long falseAlarmsNew;
    private long upgradeAlarmsOld;
    private long upgradeAlarmsNew;

    /** The web console of a running demo (it lives in a module above this one). */
    public interface Console extends AutoCloseable {
        /** Where it listens. */
        String url();
    }

    /** Starts a console on the demo's cluster, metrics, model directory, detector application id and work folder. */
    @FunctionalInterface
    public interface ConsoleStarter {
        Console start(KafkaConnection kafka, StreamMetrics metrics, Path modelDir, String applicationId, Path workDir)
                throws Exception;
    }

    public Demo(Settings settings, PrintStream out, Progress progress) {
        this.s = settings;
        this.out = out;
        this.progress = progress;
    }

    /** Asks a running demo to stop (Ctrl-C); it still drains, closes its sessions and prints its summary. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Waits until a stopped demo has printed its summary. */
    public void awaitFinished(Duration max) throws InterruptedException {
        finished.await(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private volatile Console console;

    public Summary run() throws IOException, InterruptedException {
        try {
            return runInner();
        } finally {
            finished.countDown();
        }
    }

    private Summary runInner() throws IOException, InterruptedException {
        Path work = s.workDir != null ? s.workDir : Files.createTempDirectory("anomalog-demo-");
        KeySessions data = KeySessions.bundled();
        out.printf("anomalog demo: %d hosts, %.0f lines/s each, %.0f%% anomalous sessions, work folder %s%n",
                s.hosts, s.linesPerSecondPerHost, 100 * s.anomalyRate, work);
        long t0 = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            out.printf("kafka: embedded broker (KRaft) at %s, ready in %.1f s%n", kafka.bootstrapServers(),
                    (System.nanoTime() - t0) / 1e9);
            KafkaConnection conn = KafkaConnection.of(kafka.bootstrapServers());
            StreamModel model = loadOrTrain(data, work);
            try (model) {
                return runPipeline(conn, model, data, work);
            }
        }
    }

    private StreamModel loadOrTrain(KeySessions data, Path work) throws IOException {
        if (s.model != null && Files.exists(s.model.resolve("manifest.json"))) {
            StreamModel m = StreamModel.load(s.model, null);
            modelDir = s.model;
            out.printf("model: loaded %s (%s, %d templates)%n", s.model, m.detector().method(), m.store().size());
            return m;
        }
        Path dir = s.model != null ? s.model : work.resolve("model");
        modelDir = dir;
        if (!io.anomalog.core.detect.Detectors.all().containsKey(s.method)) {
            throw new io.anomalog.core.util.AnomalogException("method '" + s.method + "' is not in this build; known: "
                    + String.join(", ", io.anomalog.core.detect.Detectors.all().keySet()) + " (choose one with --method)");
        }
        out.printf("model: training %s on %,d simulated normal sessions (real hdfs_train key sequences)...%n",
                s.method, s.trainingSessions);
        DemoModel.Trained t = DemoModel.train(data, s.method, s.trainingSessions, new Params(s.params), s.seed + 1000,
                dir, s.format, s.grouping, progress);
        out.printf("model: %,d lines -> %d templates -> %,d sessions; trained in %.1f s; saved to %s%n", t.lines(),
                t.templates(), t.sessions(), t.seconds(), dir);
        return t.model();
    }

    private Summary runPipeline(KafkaConnection conn, StreamModel model, KeySessions data, Path work)
            throws IOException, InterruptedException {
        GroundTruth truth = new GroundTruth();
        this.groundTruth = truth;
        HdfsSimulator sim = HdfsSimulator.builder(data).hosts(s.hosts).anomalyRate(s.anomalyRate)
                .concurrentSessions(s.concurrentSessions).seed(s.seed).build();
        List<Shipper> shippers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<LiveLogWriter> writers = new ArrayList<>();
        List<Thread> writerThreads = new ArrayList<>();
        StreamMetrics metrics = new StreamMetrics();
        var pipeline = model.pipeline(s.format, s.policy);
        // the stream follows the model folder's active version, so an update reaches it without a restart
        LiveLearning learning = LiveLearning.of(modelDir, model.detector(), s.onlineUpdate, said -> out.println(said));
        LiveModel live = learning.model();
        firstVersion = live.current().version();
        var topology = DetectorTopology.builder(pipeline, live).grouping(s.grouping).idleGap(closingGap())
                .metrics(metrics);
        MetricsServer metricsServer = s.metricsPort >= 0 ? new MetricsServer(metrics, s.metricsPort) : null;
        try (LiveLearning following = learning;
             DetectorService service = DetectorService.builder(conn, topology).applicationId("anomalog-demo")
                .stateDir(work.resolve("streams")).topics(3, 1).metadataMaxAgeMillis(1000).build();
             FeedbackWriter feedback = new FeedbackWriter(conn, 1)) {
            service.start(Duration.ofSeconds(60));
            operator = s.operatorMarks > 0 ? feedback : null;
            learning.start(conn, pipeline, Duration.ofMillis(200), metrics);
            out.println("detector: Kafka Streams application running (exactly_once_v2), reading logs.*"
                    + (metricsServer != null ? "; metrics at http://127.0.0.1:" + metricsServer.port() + "/metrics" : ""));
            console = s.console == null ? null : startConsole(conn, metrics, work);
            for (HdfsSimulator.HostLog host : sim.hosts()) {
                Path file = work.resolve("logs").resolve(host.name()).resolve("hdfs.log");
                LiveLogWriter w = new LiveLogWriter(host, file, s.linesPerSecondPerHost, truth);
                writers.add(w);
                Shipper shipper = Shipper.builder(conn, host.name()).path(file.toString())
                        .registry(work.resolve("registry").resolve(host.name() + ".json")).topic(3, 1).build();
                shippers.add(shipper);
                Thread wt = start("writer-" + host.name(), w);
                threads.add(wt);
                writerThreads.add(wt);
                threads.add(start("shipper-" + host.name(), () -> {
                    try {
                        shipper.run();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            out.printf("hosts: %s writing %s, one shipper each%n",
                    String.join(", ", sim.hosts().stream().map(HdfsSimulator.HostLog::name).toList()),
                    work.resolve("logs"));
            out.println();
            LiveScore score = new LiveScore(truth, closingGap().toMillis() + 3000);
            long anomalies = consume(conn, score, writers, writerThreads, service, sim);
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) {
                t.join(5000);
            }
            long shipped = shippers.stream().mapToLong(Shipper::shipped).sum();
            shippers.forEach(Shipper::close);
            long written = writers.stream().mapToLong(LiveLogWriter::linesWritten).sum();
            Summary sum = new Summary(written, shipped, metrics.recordsIn.sum(), metrics.deadLetters.sum(),
                    metrics.sessionsClosed.sum(), anomalies, score.truePositives(), score.falsePositives(),
                    score.duplicates(), truth.completedAnomalous(), score.precision(), score.recall(true),
                    metrics.modelUpdates.sum(), falseAlarmsBefore, falseAlarmsOld, falseAlarmsNew);
            printSummary(sum, score, truth);
            return sum;
        } finally {
            if (metricsServer != null) {
                metricsServer.close();
            }
            if (console != null) {
                try {
                    console.close();
                } catch (Exception e) {
                    out.println("console: " + e.getMessage());
                }
            }
        }
    }

    private Console startConsole(KafkaConnection conn, StreamMetrics metrics, Path work) {
        Path modelDir = s.model != null ? s.model : work.resolve("model");
        try {
            Console c = s.console.start(conn, metrics, modelDir, "anomalog-demo", work);
            out.println("console: " + c.url());
            return c;
        } catch (Exception e) {
            out.println("console: not started: " + e.getMessage());
            return null;
        }
    }

    /** The console's address while the demo runs, or null. */
    public String consoleUrl() {
        Console c = console;
        return c == null ? null : c.url();
    }

    /** How long a session (or a host's last window) waits after its last line before it is closed. */
    private Duration closingGap() {
        if (s.grouping instanceof GroupingSpec.Sessions sessions) {
            return sessions.gap();
        }
        if (s.grouping instanceof GroupingSpec.TimeWindows t) {
            return t.size().plus(t.grace());
        }
        return Duration.ofSeconds(3);
    }

    private static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Prints anomalies as they arrive until the duration ends (or a stop request), then drains. */
    private long consume(KafkaConnection conn, LiveScore score, List<LiveLogWriter> writers,
                         List<Thread> writerThreads, DetectorService service, HdfsSimulator sim)
            throws InterruptedException {
        Map<String, Object> p = new HashMap<>();
        p.put("isolation.level", "read_committed");
        p.put("group.id", "anomalog-demo-console");
        p.put("auto.offset.reset", "earliest");
        long end = System.currentTimeMillis() + s.duration.toMillis();
        long drainUntil = Long.MAX_VALUE;
        long count = 0;
        long lastStatus = System.currentTimeMillis();
        long upgradeWhen = s.upgrade ? System.currentTimeMillis() + s.duration.toMillis() / 2 : Long.MAX_VALUE;
        try (var consumer = new KafkaConsumer<>(conn.properties(p), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.ANOMALIES));
            while (System.currentTimeMillis() < drainUntil) {
                if (upgradeAt == Long.MAX_VALUE && System.currentTimeMillis() >= upgradeWhen && drainUntil == Long.MAX_VALUE) {
                    sim.hosts().forEach(HdfsSimulator.HostLog::upgrade);
                    upgradeAt = System.currentTimeMillis();
                    out.printf("%nUPGRADE: from now on normal sessions write a new line (\"Checksum verified for block ..."
                            + "\"): a normal workflow change the model has never seen%s%n%n", operator == null ? ""
                            : "; a simulated operator marks the first " + s.operatorMarks + " false alarms");
                }
                if (drainUntil == Long.MAX_VALUE && (stopRequested || System.currentTimeMillis() >= end)) {
                    writers.forEach(LiveLogWriter::finish);
                    out.printf("%nstopping: hosts finish their open sessions...%n");
                    for (Thread t : writerThreads) {
                        t.join(30_000);
                    }
                    writers.forEach(LiveLogWriter::stop);
                    // Every written line gets shipped and read, then every session closes after its gap; on a
                    // busy machine the detector may be behind, so the wait starts once it has read everything
                    // (at most two minutes).
                    long written = writers.stream().mapToLong(LiveLogWriter::linesWritten).sum();
                    long caughtUpBy = System.currentTimeMillis() + 120_000;
                    while (service.metrics().recordsIn.sum() < written && System.currentTimeMillis() < caughtUpBy
                            && service.failure() == null) {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            count++;
                            print(r, score);
                        }
                    }
                    drainUntil = System.currentTimeMillis() + closingGap().toMillis() + 4000;
                    out.printf("stopping: hosts stopped writing; waiting %.0f s for the last sessions to close...%n",
                            (drainUntil - System.currentTimeMillis()) / 1000.0);
                }
                if (service.failure() != null) {
                    out.println("detector failed: " + service.failure());
                    break;
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    count++;
                    print(r, score);
                }
                if (!s.quiet && System.currentTimeMillis() - lastStatus >= 10_000) {
                    lastStatus = System.currentTimeMillis();
                    StreamMetrics m = service.metrics();
                    out.printf(Locale.ROOT, "  .. %,d lines written, %,d records in, %,d sessions scored, %,d open | %s%n",
                            writers.stream().mapToLong(LiveLogWriter::linesWritten).sum(), m.recordsIn.sum(),
                            m.sessionsClosed.sum(), m.openSessions(), score.line(false));
                }
            }
        }
        return count;
    }

    private void print(ConsumerRecord<String, byte[]> r, LiveScore score) {
        try {
            JsonNode a = Json.MAPPER.readTree(r.value());
            String host = a.path("host").asText();
            String session = a.path("sessionId").asText();
            // a window is a true anomaly when a line of an anomalous simulated session is in it
            Boolean label = s.grouping instanceof GroupingSpec.Sessions ? score.report(host, session)
                    : score.report(host, session, windowLabel(host, a.path("lines")));
            judge(r.value(), label, a.path("modelVersion").asText(null));
            if (s.quiet) {
                return;
            }
            String verdict = label == null ? "?" : label ? "TRUE ANOMALY" : "false alarm";
            StringBuilder unknown = new StringBuilder();
            a.path("unknownTemplates").fields().forEachRemaining(e -> unknown.append(String.format(Locale.ROOT,
                    "%n    key %s is a template the model never saw: '%s'", e.getKey(), e.getValue().asText())));
            out.printf(Locale.ROOT, "ANOMALY %-8s %-26s %3d lines  [%s]%n    %s%s%n    %s%n", host, session,
                    a.path("lines").size(), verdict, a.path("summary").asText("(no explanation)"), unknown,
                    score.line(false));
        } catch (IOException e) {
            out.println("unreadable anomaly record: " + e.getMessage());
        }
    }

    /**
     * Counts false alarms by phase and model version, and plays the operator: marks the first false alarms that
     * show the upgrade's new line, and confirms the first true anomalies after it.
     */
    private void judge(byte[] record, Boolean label, String version) throws IOException {
        boolean afterUpgrade = System.currentTimeMillis() >= upgradeAt;
        AnomalyRecord a = Json.MAPPER.readValue(record, AnomalyRecord.class);
        boolean upgradeLine = a.lines() != null && a.lines().stream()
                .anyMatch(l -> l.text() != null && l.text().contains(HdfsLineRenderer.UPGRADE_TEXT));
        boolean old = java.util.Objects.equals(version, firstVersion);
        if (Boolean.FALSE.equals(label)) {
            if (!afterUpgrade) {
                falseAlarmsBefore++;
            } else if (old) {
                falseAlarmsOld++;
            } else {
                falseAlarmsNew++;
            }
            if (upgradeLine) {
                if (old) {
                    upgradeAlarmsOld++;
                } else {
                    upgradeAlarmsNew++;
                }
            }
        }
        if (operator == null || !afterUpgrade || label == null) {
            return;
        }
        if (!label && upgradeLine && marked < s.operatorMarks) {
            marked++;
            operator.write(FeedbackRecord.of(a, FeedbackVerdict.FALSE_POSITIVE, "normal: the new checksum line came "
                    + "with the upgrade", "demo operator"));
            out.printf("OPERATOR marks %s (%s %s) a false positive%n", a.id(), a.host(), a.sessionId());
        } else if (label && confirmed < s.operatorMarks) {
            confirmed++;
            operator.write(FeedbackRecord.of(a, FeedbackVerdict.CONFIRMED, null, "demo operator"));
            out.printf("OPERATOR confirms %s (%s %s)%n", a.id(), a.host(), a.sessionId());
        }
    }

    private Boolean windowLabel(String host, JsonNode lines) {
        Boolean label = null;
        for (JsonNode l : lines) {
            for (String id : SessionIdRule.pattern(SessionIdRule.HDFS_BLOCK).idsIn(l.path("text").asText())) {
                Boolean a = groundTruth.isAnomalous(host, id);
                if (Boolean.TRUE.equals(a)) {
                    return true;
                }
                if (a != null) {
                    label = false;
                }
            }
        }
        return label;
    }

    private void printSummary(Summary sum, LiveScore score, GroundTruth truth) {
        out.println();
        out.println("summary");
        out.printf(Locale.ROOT, "  lines written %,d, shipped %,d, read by the detector %,d, dead letters %,d%n",
                sum.linesWritten(), sum.linesShipped(), sum.recordsIn(), sum.deadLetters());
        out.printf(Locale.ROOT, "  sessions written %,d (%,d anomalous), scored %,d; anomalies reported %,d%s%n",
                truth.completedSessions(), sum.anomalousSessions(), sum.sessionsClosed(), sum.anomalies(),
                sum.duplicates() > 0 ? " (" + sum.duplicates() + " duplicates!)" : "");
        out.println("  " + score.line(true));
        if (upgradeAt != Long.MAX_VALUE) {
            out.printf(Locale.ROOT, "  false alarms: %,d before the upgrade; after it %,d judged by %s and %,d by the "
                            + "updated model (%,d online update(s)); showing the upgrade's new line: %,d by %s, %,d "
                            + "by the updated model%n", sum.falseAlarmsBeforeUpgrade(), sum.falseAlarmsUpgradeOldModel(),
                    firstVersion, sum.falseAlarmsUpgradeNewModel(), sum.modelUpdates(), upgradeAlarmsOld, firstVersion,
                    upgradeAlarmsNew);
        }
    }
}
