package io.anomalog.server;

import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.demo.Demo;
import io.anomalog.stream.feedback.AnomalyHistory;
import io.anomalog.stream.feedback.FeedbackDesk;
import io.anomalog.stream.feedback.FeedbackWriter;
import io.anomalog.stream.feedback.HistoryReader;
import io.anomalog.stream.metrics.StreamMetrics;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The console of a running detector: its history rebuilt from the {@code anomalies} and {@code anomalog.feedback}
 * topics and followed from there (so it survives restarts), verdicts written to the feedback topic, per-host figures
 * from the cluster, and the {@link ConsoleServer}. {@code stream}, {@code watch} and {@code demo} start one.
 */
public final class LiveConsole implements Demo.Console {

    private final HistoryReader reader;
    private final FeedbackWriter writer;
    private final KafkaHostStats hosts;
    private final ConsoleServer server;

    private LiveConsole(HistoryReader reader, FeedbackWriter writer, KafkaHostStats hosts, ConsoleServer server) {
        this.reader = reader;
        this.writer = writer;
        this.hosts = hosts;
        this.server = server;
    }

    /**
     * Starts it.
     *
     * @param detectorGroup the detector's application id (its consumer group: the per-host lag)
     * @param modelDir      the model directory whose versions it shows, or null
     * @param say           where the address and a newly made token are told
     */
    public static LiveConsole start(KafkaConnection kafka, int replicationFactor, StreamMetrics metrics, Path modelDir,
                                    String detectorGroup, HttpAddress address, ApiToken token, Consumer<String> say) {
        AnomalyHistory history = new AnomalyHistory();
        HistoryReader reader = new HistoryReader(kafka, history);
        FeedbackWriter writer = null;
        KafkaHostStats hosts = null;
        try {
            reader.catchUp(Duration.ofSeconds(30));
            reader.follow();
            writer = new FeedbackWriter(kafka, replicationFactor);
            hosts = new KafkaHostStats(kafka, detectorGroup);
            ConsoleServer server = ConsoleServer.builder(history, token).feedback(new FeedbackDesk(history, writer))
                    .metrics(metrics).models(modelDir).hosts(hosts).address(address).start();
            LiveConsole c = new LiveConsole(reader, writer, hosts, server);
            say.accept("console at " + c.url() + " (" + history.size() + " earlier anomalies)");
            if (token.created()) {
                say.accept("console token (shown once; kept owner-only in " + token.file() + "): " + token.value());
            }
            if (!address.loopback()) {
                say.accept("the console listens on " + address.urlHost() + ", not only on this machine: anyone who "
                        + "can reach it reads the anomalies and their lines");
            }
            return c;
        } catch (RuntimeException e) {
            if (hosts != null) {
                hosts.close();
            }
            if (writer != null) {
                writer.close();
            }
            reader.close();
            throw e;
        }
    }

    /** The token to use: the one given, else the one kept in {@code file} (made there at the first start). */
    public static ApiToken token(String given, Path file) throws IOException {
        return given != null ? ApiToken.given(given) : ApiToken.loadOrCreate(file);
    }

    /** Where the token is kept by default: {@code ~/.anomalog/console-token.json}. */
    public static Path defaultTokenFile() {
        return Path.of(System.getProperty("user.home"), ".anomalog", "console-token.json");
    }

    /**
     * A starter for the demo: the console at {@code address}, with the token given, else the one kept in
     * {@code tokenFile}, else in the demo's work folder.
     */
    public static Demo.ConsoleStarter forDemo(HttpAddress address, String token, Path tokenFile, Consumer<String> say) {
        return (kafka, metrics, modelDir, group, work) -> start(kafka, 1, metrics, modelDir, group, address,
                token(token, tokenFile != null ? tokenFile : work.resolve("console-token.json")), say);
    }

    @Override
    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        hosts.close();
        writer.close();
        reader.close();
    }
}
