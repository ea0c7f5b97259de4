package io.anomalog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.ingest.LogSequences;
import io.anomalog.core.io.Json;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.MinerSettings;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.Progress;
import io.anomalog.stream.demo.DemoModel;
import io.anomalog.stream.ship.FilebeatEvent;
import io.anomalog.stream.simulate.HdfsSimulator;
import io.anomalog.stream.simulate.KeySessions;
import io.anomalog.stream.simulate.SimulationWriter;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker, three shippers and the detector as operating-system processes of their own, as an operator runs
 * them, while three hosts keep writing their logs: each of them is killed (SIGKILL) in the middle of the stream
 * and started again, and the broker is away for longer than the session gap. Counted by file offset and by
 * session: every line reaches Kafka once, is parsed once, and every anomalous session is reported once, the same
 * sessions an offline detection of the same files finds.
 */
@Timeout(900)
class ChaosTest {

    private static final Duration GAP = Duration.ofSeconds(2);
    private static final int HOSTS = 3;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    /** The command in a JVM of its own, with the class path of this test run; its output goes to a log file. */
    private Process start(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Danomalog.repo=" + DeepLogCommandsTest.REPO.toAbsolutePath(), AnomalogCli.class.getName()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("logs").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.add(p);
        return p;
    }

    private String output(String name) throws IOException {
        Path log = dir.resolve("logs").resolve(name + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static void await(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + max.toMillis();
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();   // SIGKILL: no shutdown hook, no flush, no clean close
        p.waitFor();
    }

    @Test
    void killingTheBrokerAShipperAndTheDetectorLosesRepeatsAndSplitsNothing() throws Exception {
        // the workload: three hosts' HDFS logs with labelled anomalous sessions, and a model trained elsewhere
        Path staged = dir.resolve("staged");
        SimulationWriter.write(HdfsSimulator.builder(KeySessions.bundled()).hosts(HOSTS).sessions(450)
                .anomalyRate(0.1).seed(11).build(), staged);
        Path model = dir.resolve("model");
        GroupingSpec.Sessions grouping = GroupingSpec.Sessions.byPattern("blk_-?\\d+").withGap(GAP);
        DemoModel.train(KeySessions.bundled(), "ngram", 400, Params.empty(), 12, model,
                io.anomalog.core.log.FormatSpec.preset("hdfs"), grouping, Progress.NONE).model().close();
        List<String> hosts = new ArrayList<>();
        Map<String, List<String>> lines = new HashMap<>();
        for (int i = 1; i <= HOSTS; i++) {
            String host = "hadoop" + i;
            hosts.add(host);
            lines.put(host, Files.readAllLines(SimulationWriter.logFile(staged, host), StandardCharsets.UTF_8));
        }
        int total = lines.values().stream().mapToInt(List::size).sum();

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String bootstrap = "127.0.0.1:" + port;
        String[] brokerArgs = {"broker", "--data-dir", dir.resolve("kafka").toString(), "--port", String.valueOf(port)};
        Process broker = start("broker", brokerArgs);
        await("the broker", Duration.ofSeconds(60), () -> uncheck(() -> output("broker").contains("kafka: broker at")));
        String[] streamArgs = {"stream", "--model", model.toString(), "--bootstrap-servers", bootstrap,
                "--session-gap", GAP.toSeconds() + "s", "--state-dir", dir.resolve("streams").toString(),
                "--application-id", "chaos", "--metrics-port", "-1", "--partitions", "3", "--http", "off"};
        Process stream = start("stream", streamArgs);
        await("the detector", Duration.ofSeconds(90), () -> uncheck(() -> output("stream").contains("detecting with")));
        Map<String, Process> shippers = new HashMap<>();
        for (String host : hosts) {
            Path file = dir.resolve("live").resolve(host).resolve("hdfs.log");
            Files.createDirectories(file.getParent());
            Files.createFile(file);
            shippers.put(host, start("ship-" + host, shipArgs(host, file, bootstrap)));
        }
        // on a loaded machine a JVM takes its time to start: each kill comes after the process is at work
        for (String host : hosts) {
            await("shipper " + host, Duration.ofSeconds(120),
                    () -> uncheck(() -> count(output("ship-" + host), "to logs." + host + " at") >= 1));
        }

        // the hosts write their logs; the processes are killed one after another meanwhile
        Map<String, Integer> position = new HashMap<>();
        hosts.forEach(h -> position.put(h, 0));
        int written = 0;
        boolean shipperKilled = false;
        boolean detectorKilled = false;
        boolean brokerKilled = false;
        // the writing never waits for a restart: a pause longer than the session gap would end the hosts' open
        // sessions for real. Instead each kill waits until the process killed before it is at work again, and
        // kills still due when the writing is over happen then.
        while (written < total || !brokerKilled) {
            for (String host : hosts) {
                List<String> l = lines.get(host);
                int from = position.get(host);
                int to = Math.min(l.size(), from + 100);
                if (to > from) {
                    Files.writeString(dir.resolve("live").resolve(host).resolve("hdfs.log"),
                            String.join("\n", l.subList(from, to)) + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.APPEND);
                    written += to - from;
                    position.put(host, to);
                }
            }
            Thread.sleep(150);
            double share = (double) written / total;
            boolean shipperBack = count(output("ship-hadoop1"), "to logs.hadoop1 at") >= 2;
            boolean detectorBack = count(output("stream"), "detecting with") >= 2;
            if (!shipperKilled && share > 0.2) {
                shipperKilled = true;
                kill(shippers.get("hadoop1"));
                Thread.sleep(700);
                Path file = dir.resolve("live").resolve("hadoop1").resolve("hdfs.log");
                shippers.put("hadoop1", start("ship-hadoop1", shipArgs("hadoop1", file, bootstrap)));
            }
            if (!detectorKilled && share > 0.4 && shipperBack) {
                detectorKilled = true;
                kill(stream);
                Thread.sleep(1500);
                stream = start("stream", streamArgs);
            }
            if (!brokerKilled && share > 0.6 && detectorKilled && detectorBack) {
                brokerKilled = true;
                kill(broker);
                Thread.sleep(GAP.toMillis() * 3);   // away for longer than the session gap
                broker = start("broker", brokerArgs);
            }
        }
        int expectedLines = total;

        try {
            await("every line parsed", Duration.ofSeconds(300), () -> notYetOnError(() -> parsedOffsets(bootstrap).size()
                    >= expectedLines));
            // the last sessions close a gap after their last line, in the hosts' time (the shippers' heartbeats):
            // first every session offline detection flags must have its record, then nothing more may come
            TreeSet<String> offline = offlineAnomalies(model, hosts);
            await("the anomalies offline detection finds", Duration.ofSeconds(180),
                    () -> notYetOnError(() -> anomalyCounts(bootstrap).keySet().containsAll(offline)));
            Map<String, Integer> anomalies = new TreeMap<>();
            long stableSince = System.currentTimeMillis();
            int seen = -1;
            while (System.currentTimeMillis() - stableSince < 6_000) {
                anomalies = anomalyCounts(bootstrap);
                int n = anomalies.values().stream().mapToInt(Integer::intValue).sum();
                if (n != seen) {
                    seen = n;
                    stableSince = System.currentTimeMillis();
                }
                Thread.sleep(500);
            }

            // every line reached its host's topic once, and was parsed once
            Map<String, Integer> shippedOffsets = shippedOffsets(bootstrap, hosts);
            assertEquals(expectedLines, shippedOffsets.size(), "every written line shipped");
            assertTrue(shippedOffsets.values().stream().allMatch(c -> c == 1), "no line shipped twice");
            Map<String, Integer> parsed = parsedOffsets(bootstrap);
            assertEquals(expectedLines, parsed.size(), "every line parsed");
            assertTrue(parsed.values().stream().allMatch(c -> c == 1), "no line parsed twice: "
                    + parsed.entrySet().stream().filter(e -> e.getValue() > 1).limit(5).toList());
            // every anomalous session reported once, and the same ones an offline detection of the files finds
            assertTrue(anomalies.values().stream().allMatch(c -> c == 1), "a session reported twice: " + anomalies);
            assertEquals(offline, anomalies.keySet(), "the sessions offline detection finds");
            assertTrue(anomalies.size() >= 20, "the workload has anomalies to find: " + anomalies.size());
            // and each process really was killed and started again in the middle of it all
            assertEquals(2, count(output("broker"), "kafka: broker at"));
            assertEquals(2, count(output("stream"), "detecting with"));
            assertEquals(2, count(output("ship-hadoop1"), "to logs.hadoop1 at"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- stream:\n" + tail(output("stream")) + "\n--- broker:\n"
                    + tail(output("broker")) + "\n--- shipper:\n" + tail(output("ship-hadoop1")), e);
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
            }
        }
    }

    private String[] shipArgs(String host, Path file, String bootstrap) {
        return new String[]{"ship", "--path", file.toString(), "--host", host, "--registry",
                dir.resolve("registry").resolve(host + ".json").toString(), "--bootstrap-servers", bootstrap,
                "--partitions", "3"};
    }

    /** (host, file offset) -> times it is in the host's topic, heartbeats aside. */
    private static Map<String, Integer> shippedOffsets(String bootstrap, List<String> hosts) throws IOException {
        Map<String, Integer> out = new HashMap<>();
        for (String host : hosts) {
            for (byte[] v : readAll(bootstrap, "logs." + host)) {
                if (FilebeatEvent.isSignal(v)) {
                    continue;
                }
                JsonNode n = Json.MAPPER.readTree(v);
                out.merge(host + "@" + n.get("log").get("offset").asLong(), 1, Integer::sum);
            }
        }
        return out;
    }

    /** (host, file offset) -> times it is in logs.parsed. */
    private static Map<String, Integer> parsedOffsets(String bootstrap) throws IOException {
        Map<String, Integer> out = new HashMap<>();
        for (byte[] v : readAll(bootstrap, "logs.parsed")) {
            JsonNode n = Json.MAPPER.readTree(v);
            out.merge(n.get("host").asText() + "@" + n.get("fileOffset").asLong(), 1, Integer::sum);
        }
        return out;
    }

    /** host/session -> anomaly records of it. */
    private static Map<String, Integer> anomalyCounts(String bootstrap) throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        for (byte[] v : readAll(bootstrap, "anomalies")) {
            JsonNode n = Json.MAPPER.readTree(v);
            out.merge(n.get("host").asText() + "/" + n.get("sessionId").asText(), 1, Integer::sum);
        }
        return out;
    }

    /** What batch detection finds in each host's whole file, with the model's store, format and grouping. */
    private TreeSet<String> offlineAnomalies(Path model, List<String> hosts) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        try (Detector d = Detectors.load(model)) {
            for (String host : hosts) {
                IngestPipeline p = IngestPipeline.builder(LogFormats.byName("hdfs"))
                        .store(TemplateStore.load(model.resolve(SequenceInput.STORE_FILE)))
                        .miner(MinerSettings.of(TemplateStore.load(model.resolve(SequenceInput.STORE_FILE)).settings()))
                        .mode(MinerSettings.Mode.DETECT).build();
                List<Sequence> seqs = LogSequences.read(p, List.of(dir.resolve("live").resolve(host).resolve("hdfs.log")),
                        GroupingSpec.Sessions.byPattern("blk_-?\\d+"), id -> Label.UNKNOWN).sequences();
                List<Verdict> v = d.scoreAll(seqs);
                for (int i = 0; i < seqs.size(); i++) {
                    if (v.get(i).anomalous()) {
                        out.add(host + "/" + seqs.get(i).id());
                    }
                }
            }
        }
        return out;
    }

    private static List<byte[]> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        List<byte[]> out = new ArrayList<>();
        try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var infos = c.partitionsFor(topic, Duration.ofSeconds(20));
            if (infos == null || infos.isEmpty()) {
                return out;
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 60_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    // a partial read would count lines as missing: say so instead
                    throw new IllegalStateException("reading " + topic + " to its end took over 60 s");
                }
                c.poll(Duration.ofMillis(100)).forEach(r -> out.add(r.value()));
            }
        }
        return out;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }

    private interface Io<T> {
        T get() throws Exception;
    }

    /** A condition that a broker still coming back (a Kafka timeout, a slow read) leaves false, not failed. */
    private static boolean notYetOnError(Io<Boolean> f) {
        try {
            return f.get();
        } catch (Exception e) {
            return false;
        }
    }

    private static <T> T uncheck(Io<T> f) {
        try {
            return f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
