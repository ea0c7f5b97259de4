package io.anomalog.cli;

import io.anomalog.core.io.Json;
import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.stream.feedback.LiveLearning;
import io.anomalog.core.util.Durations;
import io.anomalog.server.LiveConsole;
import io.anomalog.stream.broker.EmbeddedKafka;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.metrics.MetricsServer;
import io.anomalog.stream.ship.FilebeatEvent;
import io.anomalog.stream.ship.Shipper;
import io.anomalog.stream.topology.DetectorService;
import io.anomalog.stream.topology.DetectorTopology;
import io.anomalog.stream.topology.StreamModel;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code anomalog watch}: everything on one machine for one's own log files: the embedded broker with its data in a
 * folder that a restart resumes from, one shipper per path, the detector and the web console. It runs the same
 * {@link Shipper} as {@code ship} and the same {@link DetectorService} as {@code stream}.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Watches log files on this machine: an embedded Kafka broker (data kept in --data, so a restart "
                + "resumes where it stopped), one shipper per --path, the live detector and the web console. With "
                + "--model it detects at once; without, it first learns a model from the lines of the first period "
                + "(--learn, default 10m), which takes whatever happened then as normal.",
                "  anomalog watch --path '/var/log/hadoop/*.log' --format hdfs --session-id 'blk_-?\\d+' --learn 15m",
                "  anomalog watch --path 'app/*.log' --model models/app"})
final class WatchCommand implements Callable<Integer> {

    @Option(names = "--path", required = true, paramLabel = "GLOB",
            description = "Files to watch, e.g. '/var/log/app/*.log' (repeatable: one shipper each).")
    List<String> paths = new ArrayList<>();

    @Option(names = "--host", paramLabel = "NAME", description = "Host name of the lines (default: this machine's).")
    String host;

    @Mixin
    FormatOptions format;

    @Mixin
    GroupingOptions grouping;

    @Option(names = "--model", paramLabel = "DIR", description = "A trained model to detect with from the start.")
    Path model;

    @Option(names = "--learn", paramLabel = "DURATION",
            description = "Without --model: ship for this long, then train on those lines and detect (default: 10m). "
                    + "The model is kept in --data and used at the next start.")
    String learn;

    @Option(names = "--no-online-update",
            description = "Do not learn from false-positive feedback (given in the console or with anomalog feedback).")
    boolean noOnlineUpdate;

    @Option(names = "--method", description = "Detector to learn (default: deeplog, or ngram in a build without it).")
    String method;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Hyper-parameter of the learnt detector (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR",
            description = "Where the broker's data, shipper offsets, detector state and a learnt model are kept "
                    + "(default: ~/.anomalog/watch).")
    Path data;

    @Option(names = "--metrics-port", defaultValue = "-1", description = "Prometheus metrics on 127.0.0.1:PORT (default: off).")
    int metricsPort;

    @Mixin
    HttpOptions http;

    private volatile boolean stop;

    @Override
    public Integer call() throws Exception {
        http.address(); // bad options are reported before anything starts
        if (model != null && learn != null) {
            throw new AnomalogException("give --model DIR or --learn DURATION, not both");
        }
        Duration learnFor = Durations.positive(learn != null ? learn : "10m", "--learn");
        String h = host != null ? host : localHost();
        if (!h.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new AnomalogException("--host: letters, digits and ._- only (it names the topic logs." + h + ")");
        }
        Path dir = (data != null ? data : Path.of(System.getProperty("user.home"), ".anomalog", "watch")).toAbsolutePath();
        Files.createDirectories(dir);
        if (model != null && !Files.exists(model.resolve("manifest.json"))) {
            throw new AnomalogException("no model in " + model + ": manifest.json is missing");
        }
        Path modelDir = model != null ? model : dir.resolve("model");

        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop = true;
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        List<Shipper> shippers = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(dir.resolve("kafka")).build().start()) {
            KafkaConnection conn = KafkaConnection.of(kafka.bootstrapServers());
            System.err.printf("anomalog: embedded broker at %s, data in %s%n", kafka.bootstrapServers(), dir);
            for (int i = 0; i < paths.size(); i++) {
                Shipper s = Shipper.builder(conn, h).path(paths.get(i)).topic(1, 1)
                        .registry(dir.resolve("ship").resolve(h + "-" + i + ".registry.json"))
                        .transactionalId("anomalog-watch-" + h + "-" + i).maxLineBytes(format.maxLineBytes()).build();
                shippers.add(s);
                if (!s.matchesAnyFile()) {
                    System.err.printf("anomalog: no file matches %s yet; waiting for files to appear%n", paths.get(i));
                }
                Thread t = new Thread(() -> {
                    try {
                        s.run();
                    } catch (IOException e) {
                        System.err.println("anomalog: shipper of " + s + " stopped: " + e.getMessage());
                    }
                }, "shipper-" + i);
                t.setDaemon(true);
                t.start();
            }
            System.err.printf("anomalog: shipping %s to logs.%s%n", String.join(", ", paths), h);
            if (!Files.exists(modelDir.resolve("manifest.json"))) {
                if (!learnModel(conn, h, learnFor, dir, modelDir)) {
                    return 0;
                }
            }
            detect(conn, modelDir, dir);
        } finally {
            shippers.forEach(Shipper::close);
            stopped.countDown();
        }
        return 0;
    }

    /** Ships for the learning period, then trains on the lines of logs.HOST so far. False when stopped first. */
    private boolean learnModel(KafkaConnection conn, String h, Duration learnFor, Path dir, Path modelDir)
            throws Exception {
        System.err.printf("anomalog: no model yet: learning from the lines of the next %s (and what the files hold "
                + "already); whatever happens in that time is taken as normal%n", learnFor.toString().substring(2).toLowerCase(Locale.ROOT));
        long end = System.nanoTime() + learnFor.toNanos();
        while (System.nanoTime() < end) {
            if (stop) {
                return false;
            }
            Thread.sleep(200);
        }
        Path lines = dir.resolve("learn").resolve(h + ".log");
        long n = copyTopic(conn, Topics.LOGS_PREFIX + h, lines);
        if (n == 0) {
            throw new AnomalogException("nothing to learn from: no line reached logs." + h + " in " + learnFor
                    + " (do the --path globs match files with lines?)");
        }
        System.err.printf("anomalog: learning %s from %,d lines%n", method != null ? method
                : DemoCommand.DemoDefaults.method(), n);
        TrainCommand train = new TrainCommand();
        List<String> args = new ArrayList<>(List.of(method != null ? method : DemoCommand.DemoDefaults.method(),
                "--logs", lines.toString(), "-o", modelDir.toString()));
        for (String p : params) {
            args.add("-p");
            args.add(p);
        }
        new CommandLine(train).parseArgs(args.toArray(String[]::new));
        train.input.format = format;       // the format and grouping given to watch
        train.input.grouping = grouping;
        // training reads its lines whole: the rules that close live sessions apply to the detector only
        String gap = grouping.gap, maxAge = grouping.maxAge, grace = grouping.grace;
        grouping.gap = null;
        grouping.maxAge = null;
        grouping.grace = null;
        try {
            train.call();
        } finally {
            grouping.gap = gap;
            grouping.maxAge = maxAge;
            grouping.grace = grace;
        }
        return true;
    }

    /** The lines shipped to a topic so far, in order, as text. */
    private static long copyTopic(KafkaConnection conn, String topic, Path out) throws IOException {
        Files.createDirectories(out.getParent());
        long n = 0;
        try (var c = new KafkaConsumer<>(conn.properties(Map.of("isolation.level", "read_committed",
                "enable.auto.commit", "false")), new ByteArrayDeserializer(), new ByteArrayDeserializer());
             BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(15)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (parts.isEmpty()) {
                return 0;
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts, Duration.ofSeconds(15));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (parts.stream().anyMatch(p -> c.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.value() == null || FilebeatEvent.isSignal(r.value())) {
                        continue;
                    }
                    w.write(FilebeatEvent.parse(r.value()).message());
                    w.newLine();
                    n++;
                }
            }
        }
        return n;
    }

    private void detect(KafkaConnection conn, Path modelDir, Path dir) throws Exception {
        try (StreamModel m = StreamModel.load(modelDir, null)) {
            FormatSpec f = format.spec(m.trainedFormat());
            if (f == null) {
                throw new AnomalogException("the model does not say how its lines were read: give --format");
            }
            GroupingSpec g = grouping.spec(m.trainedGrouping(), "watch");
            if (g == null) {
                throw new AnomalogException("the model does not say how its lines were grouped: give --session-id, "
                        + "--window or --time-window");
            }
            var pipeline = m.pipeline(f, format.policy(), format.maxLineBytes(), null, false);
            // as in stream: the model folder's active version is followed, and feedback given in the console teaches it
            LiveLearning learning = LiveLearning.of(modelDir, m.detector(), !noOnlineUpdate,
                    said -> System.err.println("anomalog: " + said));
            var topology = DetectorTopology.builder(pipeline, learning.model()).grouping(g)
                    .features(m.features());
            var builder = DetectorService.builder(conn, topology).applicationId("anomalog-watch")
                    .stateDir(dir.resolve("streams")).topics(1, 1);
            try (LiveLearning following = learning;
                 DetectorService service = builder.build();
                 MetricsServer metrics = metricsPort >= 0 ? new MetricsServer(topology.metrics(), metricsPort) : null;
                 HttpOptions console = http) {
                service.start(Duration.ofMinutes(2), said -> System.err.println("anomalog: " + said));
                learning.start(conn, pipeline, Duration.ofMillis(200), topology.metrics());
                System.err.printf("anomalog: detecting with %s (%s; %s)%s; Ctrl-C stops%n", m.detector().method(), f,
                        g.describe(), metrics != null ? ", metrics at http://127.0.0.1:" + metrics.port() + "/metrics" : "");
                console.start(conn, 1, topology.metrics(), modelDir, "anomalog-watch", dir.resolve("console-token.json"));
                printAnomalies(conn, service);
                var mt = topology.metrics();
                System.err.printf("stopped: %,d records, %,d sessions scored, %,d anomalies, %,d dead letters%n",
                        mt.recordsIn.sum(), mt.sessionsClosed.sum(), mt.anomalies.sum(), mt.deadLetters.sum());
            }
        }
    }

    /** One line per anomaly on standard output until stopped. */
    private void printAnomalies(KafkaConnection conn, DetectorService service) throws IOException {
        try (var c = new KafkaConsumer<>(conn.properties(Map.of("isolation.level", "read_committed",
                "group.id", "anomalog-watch-print", "auto.offset.reset", "latest")), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.ANOMALIES));
            while (!stop) {
                if (service.failure() != null) {
                    throw new IllegalStateException("detector failed", service.failure());
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    var a = Json.MAPPER.readTree(r.value());
                    System.out.printf(Locale.ROOT, "ANOMALY %s %s %s score %.3f  %s%n", a.path("id").asText(),
                            a.path("host").asText(), a.path("sessionId").asText(), a.path("score").asDouble(),
                            a.path("summary").asText(""));
                }
            }
        }
    }

    private static String localHost() {
        try {
            String n = java.net.InetAddress.getLocalHost().getHostName();
            int dot = n.indexOf('.');
            return (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
