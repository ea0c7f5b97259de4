package io.anomalog.cli;

import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.SessionIdRule;
import io.anomalog.stream.metrics.MetricsServer;
import io.anomalog.stream.topology.DetectorService;
import io.anomalog.stream.topology.DetectorTopology;
import io.anomalog.stream.topology.StreamModel;
import io.anomalog.stream.topology.LiveModel;
import io.anomalog.stream.feedback.LiveLearning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code anomalog stream}: the detector service, a Kafka Streams application over {@code logs.*}. */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Runs live detection: reads logs.* topics, parses with the model's templates, groups lines "
                + "into sessions, scores closed sessions and writes anomalies to the 'anomalies' topic.")
final class StreamCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (with its template-store.json).")
    Path model;

    @Option(names = "--templates", paramLabel = "FILE", description = "Template store, when it is not in the model directory.")
    Path templates;

    @Mixin
    FormatOptions format;

    @Mixin
    GroupingOptions grouping;

    @Option(names = "--override-miner-settings",
            description = "Accept a template store whose miner settings differ from the defaults (they are used as saved).")
    boolean overrideMiner;

    @Option(names = "--quiet-host", defaultValue = "5m", paramLabel = "DURATION",
            description = "A host whose records carry no shipper heartbeats (Filebeat, rsyslog) and that sent nothing "
                    + "for this long has its last sessions closed (default: ${DEFAULT-VALUE}).")
    java.time.Duration quietHost;

    @Option(names = "--max-open-sessions", defaultValue = "100000", paramLabel = "N",
            description = "Most sessions one stream task keeps open; beyond it the one quiet for longest is closed "
                    + "early and counted (default: ${DEFAULT-VALUE}).")
    int maxOpenSessions;

    @Option(names = "--no-parsed-events",
            description = "Do not write every parsed event to the logs.parsed topic (written by default).")
    boolean noParsedEvents;

    @Option(names = "--no-online-update",
            description = "Do not learn from false-positive feedback on anomalog.feedback (the model then changes only "
                    + "through anomalog model activate / rollback or train --update).")
    boolean noOnlineUpdate;

    @Option(names = "--feedback-settle", defaultValue = "200ms", paramLabel = "DURATION",
            description = "How long the online update waits for more feedback before it learns what came "
                    + "(default: ${DEFAULT-VALUE}).")
    java.time.Duration feedbackSettle;

    @Option(names = "--topics", defaultValue = "logs\\.(?!parsed$).+", paramLabel = "REGEX",
            description = "Topics to read (default: every logs.<host> topic).")
    String topics;

    @Option(names = "--application-id", defaultValue = "anomalog-detector", paramLabel = "ID",
            description = "Kafka Streams application id: instances with the same id share the work (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where open sessions are kept locally (default: <tmp>/anomalog-streams).")
    Path stateDir;

    @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--metrics-port", defaultValue = "9464", description = "Prometheus metrics on ADDRESS:PORT/metrics; -1 turns it off (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--metrics-address", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address the metrics endpoint listens on; 0.0.0.0 (or the host's address) lets a Prometheus "
                    + "server on another machine scrape it (default: ${DEFAULT-VALUE}).")
    String metricsAddress;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    HttpOptions http;

    @Override
    public Integer call() throws Exception {
        java.net.InetAddress metricsAt = metricsBindAddress(); // a bad address is reported before anything starts
        http.address();
        try (StreamModel m = StreamModel.load(model, templates)) {
            FormatSpec f = format.spec(m.trainedFormat());
            if (f == null) {
                f = FormatSpec.preset("hdfs");
                System.err.println("anomalog: the model does not say how its lines were read: reading them as hdfs "
                        + "(give --format to choose)");
            }
            GroupingSpec g = grouping.spec(m.trainedGrouping(), "the stream");
            if (g == null) {
                g = GroupingSpec.Sessions.byPattern(SessionIdRule.HDFS_BLOCK);
                System.err.println("anomalog: the model does not say how its lines were grouped: sessions by HDFS "
                        + "block id (give --session-id, --window or --time-window to choose)");
            }
            var pipeline = m.pipeline(f, format.policy(), format.maxLineBytes(), null, overrideMiner);
            java.time.Duration settle = positive(feedbackSettle, "--feedback-settle");
            // the stream follows the model folder's active version: an online update, anomalog model activate
            // or rollback reach it within a second, without a restart and with its open sessions kept
            LiveLearning learning = LiveLearning.of(model, m.detector(), !noOnlineUpdate,
                    said -> System.err.println("anomalog: " + said));
            LiveModel live = learning.model();
            var topology = DetectorTopology.builder(pipeline, live).grouping(g).features(m.features()).topics(topics).publishParsed(!noParsedEvents)
                    .quietHost(positive(quietHost, "--quiet-host")).maxOpenSessions(maxOpenSessions);
            var builder = DetectorService.builder(kafka.connection(), topology).applicationId(applicationId)
                    .threads(threads).topics(kafka.partitions, kafka.replicationFactor);
            if (stateDir != null) {
                builder.stateDir(stateDir);
            }
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            try (LiveLearning following = learning;
                 DetectorService service = builder.build();
                 MetricsServer metrics = metricsPort >= 0 ? new MetricsServer(topology.metrics(), metricsAt, metricsPort) : null;
                 HttpOptions console = http) {
                service.start(Duration.ofMinutes(2), said -> System.err.println("anomalog: " + said));
                console.start(kafka.connection(), kafka.replicationFactor, topology.metrics(), model, applicationId,
                        io.anomalog.server.LiveConsole.defaultTokenFile());
                learning.start(kafka.connection(), pipeline, settle, topology.metrics());
                System.err.printf("detecting with %s %s (%d templates; %s; %s) on %s at %s%s%s; Ctrl-C stops%n",
                        m.detector().method(), live.current().version(), m.store().size(), f, g.describe(), topics,
                        kafka.bootstrapServers, learning.learns() ? ", learning from anomalog.feedback" : "",
                        metrics != null ? ", metrics at http://127.0.0.1:" + metrics.port() + "/metrics" : "");
                while (!stop.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                    if (service.failure() != null) {
                        throw new IllegalStateException("detector failed", service.failure());
                    }
                }
                var mt = topology.metrics();
                System.err.printf("stopped: %,d records, %,d sessions scored, %,d anomalies, %,d dead letters; "
                                + "model %s, %,d online update(s)%n", mt.recordsIn.sum(), mt.sessionsClosed.sum(),
                        mt.anomalies.sum(), mt.deadLetters.sum(), live.current().version(), mt.modelUpdates.sum());
            } finally {
                stopped.countDown();
            }
        }
        return 0;
    }

    private static java.time.Duration positive(java.time.Duration d, String option) {
        if (d.isZero() || d.isNegative()) {
            throw new io.anomalog.core.util.AnomalogException(option + " must be a positive duration, not " + d);
        }
        return d;
    }

    private java.net.InetAddress metricsBindAddress() {
        try {
            return java.net.InetAddress.getByName(metricsAddress);
        } catch (java.net.UnknownHostException e) {
            throw new io.anomalog.core.util.AnomalogException("--metrics-address: unknown host or address '"
                    + metricsAddress + "'");
        }
    }
}
