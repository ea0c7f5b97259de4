package io.anomalog.stream.topology;

import io.anomalog.core.session.GroupingSpec;
import io.anomalog.stream.broker.EmbeddedKafka;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.metrics.MetricsServer;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.testing.KeyRuleDetector;
import io.anomalog.stream.testing.TestPipelines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real clients of the detector, as operators run them: kcat and rsyslog (omkafka) feed {@code logs.<host>} with
 * plain lines and with JSON, and a Prometheus server scrapes the metrics. Each test installs nothing: it skips,
 * saying which Debian package to install, when the program is missing (CI installs them).
 */
@Timeout(180)
class RealClientsTest {

    static EmbeddedKafka kafka;
    static StreamMetrics metrics = new StreamMetrics();
    static KeyRuleDetector detector = new KeyRuleDetector(Set.of(1, 2));
    static DetectorService service;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.builder().build().start();
        KafkaConnection conn = KafkaConnection.of(kafka.bootstrapServers());
        Topics.ensure(conn, List.of(Topics.Spec.of("logs.kc", 1, 1), Topics.Spec.of("logs.rs", 1, 1)));
        var topology = DetectorTopology.builder(TestPipelines.detecting("open <*>", "write <*> size <*>"), detector)
                .grouping(GroupingSpec.Sessions.byPattern("blk_-?\\d+").withGap(Duration.ofSeconds(1)))
                .quietHost(Duration.ofSeconds(2)).punctuateInterval(Duration.ofMillis(100)).metrics(metrics);
        service = DetectorService.builder(conn, topology).applicationId("real-clients")
                .commitIntervalMillis(100).metadataMaxAgeMillis(500).build().start(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        service.close();
        kafka.close();
    }

    private static void requireProgram(String path, String debianPackage) {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(path)), path + " is not installed (Debian package "
                + debianPackage + ")");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void kcatFeedsPlainLinesAndJsonEventsAndTheDetectorReadsBoth() throws Exception {
        requireProgram("/usr/bin/kcat", "kcat");
        long parsed0 = metrics.parsed.sum();
        String lines = "open blk_901\nwrite blk_901 size 3\n"
                + "{\"message\":\"open blk_902\",\"host\":{\"name\":\"kc\"}}\n"
                + "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"message\":\"disk blk_902 failing\"}\n";
        Process p = new ProcessBuilder("/usr/bin/kcat", "-P", "-b", kafka.bootstrapServers(), "-t", "logs.kc",
                "-k", "kc").redirectErrorStream(true).start();
        p.getOutputStream().write(lines.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        await("four lines parsed", () -> metrics.parsed.sum() >= parsed0 + 4);
        await("both sessions scored", () -> detector.scored.containsKey("blk_901") && detector.scored.containsKey("blk_902"));
        assertEquals(1, detector.scored.get("blk_902").get());
    }

    @Test
    void rsyslogShipsAFileThroughOmkafkaAsPlainLinesAndAsJson() throws Exception {
        requireProgram("/usr/sbin/rsyslogd", "rsyslog");
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/omkafka.so")),
                "omkafka is not installed (Debian package rsyslog-kafka)");
        Path log = dir.resolve("app.log");
        Path logJson = dir.resolve("app-json.log");
        Files.createFile(log);
        Files.createFile(logJson);
        Path work = Files.createDirectories(dir.resolve("rsyslog"));
        String conf = """
                global(workDirectory="%s")
                module(load="imfile" PollingInterval="1")
                module(load="omkafka")
                template(name="line" type="string" string="%%msg%%")
                template(name="json" type="list" option.jsonf="on") {
                  property(outname="@timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
                  property(outname="message" name="msg" format="jsonf")
                }
                input(type="imfile" File="%s" Tag="app" ruleset="plain")
                input(type="imfile" File="%s" Tag="app" ruleset="json")
                ruleset(name="plain") { action(type="omkafka" broker=["%s"] topic="logs.rs" template="line") }
                ruleset(name="json") { action(type="omkafka" broker=["%s"] topic="logs.rs" template="json") }
                """.formatted(work, log, logJson, kafka.bootstrapServers(), kafka.bootstrapServers());
        Path confFile = dir.resolve("rsyslog.conf");
        Files.writeString(confFile, conf);
        Process rsyslog = new ProcessBuilder("/usr/sbin/rsyslogd", "-n", "-f", confFile.toString(), "-i",
                dir.resolve("rsyslog.pid").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslog.out").toFile()).start();
        try {
            long parsed0 = metrics.parsed.sum();
            Thread.sleep(1500);
            Files.writeString(log, "open blk_801\nwrite blk_801 size 9\n", StandardOpenOption.APPEND);
            Files.writeString(logJson, "open blk_802\ndisk blk_802 failing\n", StandardOpenOption.APPEND);
            await("four lines from rsyslog parsed", () -> metrics.parsed.sum() >= parsed0 + 4);
            await("both sessions scored", () -> detector.scored.containsKey("blk_801")
                    && detector.scored.containsKey("blk_802"));
        } finally {
            rsyslog.destroy();
            rsyslog.waitFor();
        }
        assertTrue(Files.readString(dir.resolve("rsyslog.out")).isEmpty()
                || !Files.readString(dir.resolve("rsyslog.out")).contains("omkafka: error"),
                Files.readString(dir.resolve("rsyslog.out")));
    }

    @Test
    void aPrometheusServerScrapesTheMetrics() throws Exception {
        requireProgram("/usr/bin/prometheus", "prometheus");
        try (MetricsServer server = new MetricsServer(metrics, 0)) {
            int promPort = freePort();
            Path conf = dir.resolve("prometheus.yml");
            Files.writeString(conf, """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: anomalog
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(server.port()));
            Process prom = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + conf,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.out").toFile()).start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                URI query = URI.create("http://127.0.0.1:" + promPort + "/api/v1/query?query=up%7Bjob%3D%22anomalog%22%7D");
                String[] body = {""};
                await("Prometheus to scrape the detector", () -> {
                    try {
                        body[0] = http.send(HttpRequest.newBuilder(query).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                        return body[0].contains("\"value\":[") && body[0].contains("\"1\"]");
                    } catch (Exception e) {
                        return false;
                    }
                });
                URI records = URI.create("http://127.0.0.1:" + promPort
                        + "/api/v1/query?query=anomalog_records_in_total");
                String r = http.send(HttpRequest.newBuilder(records).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(r.contains("anomalog_records_in_total"), r);
            } finally {
                prom.destroy();
                prom.waitFor();
            }
        }
    }
}
