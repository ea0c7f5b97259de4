package io.anomalog.stream.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;
import io.anomalog.stream.broker.EmbeddedKafka;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.metrics.MetricsServer;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.testing.KeyRuleDetector;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.stream.testing.TestPipelines;
import io.anomalog.stream.testing.TopicReader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The detector service against a real (embedded) broker: restarts, several instances, bad input. */
@Timeout(120)
class DetectorReliabilityTest {

    static EmbeddedKafka kafka;
    static KafkaConnection conn;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.builder().build().start();
        conn = KafkaConnection.of(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    /** Lines of sessions on one host, interleaved; every fourth session holds an unknown template. */
    record Workload(List<String[]> lines, Map<String, Integer> anomalousLineCounts, int sessions) {
        static Workload make(String host, int sessions, long seed, int idBase) {
            Random rnd = new Random(seed);
            List<List<String>> per = new ArrayList<>();
            Map<String, Integer> anomalous = new TreeMap<>();
            for (int s = 0; s < sessions; s++) {
                String id = "blk_" + (idBase + s);
                List<String> l = new ArrayList<>();
                l.add("open " + id);
                for (int i = 0; i < 3 + rnd.nextInt(4); i++) {
                    l.add("write " + id + " size " + rnd.nextInt(1000));
                }
                if (s % 4 == 0) {
                    l.add(2, "disk " + id + " failing");
                    anomalous.put(host + "/" + id, l.size());
                }
                per.add(l);
            }
            List<String[]> out = new ArrayList<>();
            int[] pos = new int[sessions];
            int left = per.stream().mapToInt(List::size).sum();
            while (left > 0) {
                int s = rnd.nextInt(sessions);
                if (pos[s] < per.get(s).size()) {
                    out.add(new String[]{"blk_" + (idBase + s), per.get(s).get(pos[s]++)});
                    left--;
                }
            }
            return new Workload(out, anomalous, sessions);
        }
    }

    /**
     * The workload's time: one millisecond a line, however long the test pauses between two parts of it, as a
     * shipper reading a file stamps its lines (a pause of the test is not a pause of the logging host).
     */
    private static final java.util.concurrent.atomic.AtomicLong LOG_TIME =
            new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());

    private static void produce(String topic, List<String[]> lines) throws Exception {
        try (var p = new KafkaProducer<String, byte[]>(conn.properties(Map.of("acks", "all")), new StringSerializer(),
                new ByteArraySerializer())) {
            for (String[] l : lines) {
                // keyed by session, as a shipper keyed by file keeps one file's lines in one partition
                p.send(new ProducerRecord<>(topic, null, LOG_TIME.incrementAndGet(), l[0],
                        l[1].getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
        }
    }

    private DetectorTopology.Settings topology(String topics, StreamMetrics m, KeyRuleDetector d) {
        return DetectorTopology.builder(TestPipelines.detecting("open <*>", "write <*> size <*>"), d).topics(topics)
                .grouping(GroupingSpec.Sessions.byPattern("blk_-?\\d+").withGap(Duration.ofMillis(1500)))
                .quietHost(Duration.ofSeconds(4))
                .punctuateInterval(Duration.ofMillis(100)).metrics(m);
    }

    private DetectorService service(String app, String topics, String stateDir, StreamMetrics m, KeyRuleDetector d) {
        return DetectorService.builder(conn, topology(topics, m, d)).applicationId(app).stateDir(dir.resolve(stateDir))
                .commitIntervalMillis(100).metadataMaxAgeMillis(1000).build();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** anomaly key -> number of lines in each record with that key */
    private static Map<String, List<Integer>> anomalies() throws Exception {
        Map<String, List<Integer>> out = new TreeMap<>();
        for (var r : TopicReader.readAll(kafka.bootstrapServers(), Topics.ANOMALIES)) {
            JsonNode n = Json.MAPPER.readTree(r.value());
            String key = n.get("host").asText() + "/" + n.get("sessionId").asText();
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(n.get("lines").size());
        }
        return out;
    }

    private static Map<String, List<Integer>> expected(Map<String, Integer> lineCounts, String prefix) {
        Map<String, List<Integer>> e = new TreeMap<>();
        lineCounts.forEach((k, v) -> e.put(k, List.of(v)));
        return e;
    }

    private static Map<String, List<Integer>> only(Map<String, List<Integer>> all, String hostPrefix) {
        Map<String, List<Integer>> out = new TreeMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(hostPrefix)) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Test
    void detectorKilledMidStreamAndRestartedScoresEverySessionExactlyOnce() throws Exception {
        Topics.ensure(conn, List.of(Topics.Spec.of("logs.rs", 3, 1)));
        Workload w = Workload.make("rs", 40, 1, 1000);
        int half = w.lines().size() / 2;
        StreamMetrics m1 = new StreamMetrics();
        KeyRuleDetector d1 = new KeyRuleDetector(Set.of(1, 2));
        DetectorService first = service("app-restart", "logs\\.rs", "a", m1, d1).start(Duration.ofSeconds(60));
        produce("logs.rs", w.lines().subList(0, half));
        await("first half parsed", () -> m1.parsed.sum() >= half);
        first.close(); // open sessions stay in the store's changelog
        // A new instance on another machine (empty state directory) restores the open sessions and goes on.
        StreamMetrics m2 = new StreamMetrics();
        KeyRuleDetector d2 = new KeyRuleDetector(Set.of(1, 2));
        try (DetectorService second = service("app-restart", "logs\\.rs", "b", m2, d2).start(Duration.ofSeconds(60))) {
            produce("logs.rs", w.lines().subList(half, w.lines().size()));
            await("all sessions closed", () -> d2.scored.keySet().stream().filter(k -> k.matches("blk_10\\d\\d")).count()
                    + d1.scored.keySet().stream().filter(k -> k.matches("blk_10\\d\\d")).count() >= w.sessions());
            Thread.sleep(500); // a last commit
        }
        assertEquals(expected(w.anomalousLineCounts(), "rs/"), only(anomalies(), "rs/"),
                "every anomalous session once, with all its lines, across the restart");
        Map<String, Integer> scored = new HashMap<>();
        // other tests' topics match logs.* too: count this workload's sessions (blk_1000..blk_1039) only
        d1.scored.forEach((k, v) -> scored.merge(k, v.get(), Integer::sum));
        d2.scored.forEach((k, v) -> scored.merge(k, v.get(), Integer::sum));
        scored.keySet().removeIf(k -> !k.matches("blk_10\\d\\d"));
        assertEquals(w.sessions(), scored.size());
        assertTrue(scored.values().stream().allMatch(c -> c == 1), "no session scored twice: " + scored);
    }

    @Test
    void detectorCrashingMidTransactionLeavesNoTraceAndTheNextInstanceRedoesItsWork() throws Exception {
        Topics.ensure(conn, List.of(Topics.Spec.of("logs.cr", 3, 1)));
        Workload w = Workload.make("cr", 40, 4, 5000);
        StreamMetrics m1 = new StreamMetrics();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        // the 12th session it scores throws: the stream thread dies with its transaction open
        KeyRuleDetector d1 = new KeyRuleDetector(Set.of(1, 2)) {
            @Override
            public io.anomalog.core.detect.Verdict score(io.anomalog.core.session.Sequence s) {
                if (calls.incrementAndGet() == 12) {
                    throw new IllegalStateException("simulated crash while scoring");
                }
                return super.score(s);
            }
        };
        // a commit interval (8 s, under the 10 s transaction timeout) longer than the crash takes: everything the first instance did is in one open transaction
        DetectorService first = DetectorService.builder(conn, topology("logs\\.cr", m1, d1)).applicationId("app-crash")
                .stateDir(dir.resolve("c1")).commitIntervalMillis(8_000).metadataMaxAgeMillis(1000).build()
                .start(Duration.ofSeconds(60));
        produce("logs.cr", w.lines());
        await("the first instance to crash", () -> first.failure() != null);
        first.close();
        assertTrue(d1.scored.size() >= 11, "it had scored sessions before the crash: " + d1.scored.size());
        assertEquals(Map.of(), only(anomalies(), "cr/"), "an aborted transaction leaves no anomaly record");

        StreamMetrics m2 = new StreamMetrics();
        KeyRuleDetector d2 = new KeyRuleDetector(Set.of(1, 2));
        try (DetectorService second = service("app-crash", "logs\\.cr", "c2", m2, d2).start(Duration.ofSeconds(60))) {
            await("every session scored again", () -> d2.scored.keySet().stream()
                    .filter(k -> k.matches("blk_50\\d\\d")).count() >= w.sessions());
            await("the anomaly records committed", () -> {
                try {
                    return only(anomalies(), "cr/").size() >= w.anomalousLineCounts().size();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500); // anything duplicated would be committed by now
        }
        assertEquals(expected(w.anomalousLineCounts(), "cr/"), only(anomalies(), "cr/"),
                "every anomalous session once, with all its lines");
        assertTrue(d2.scored.entrySet().stream().filter(e -> e.getKey().matches("blk_50\\d\\d"))
                .allMatch(e -> e.getValue().get() == 1), "the new instance scored each session once: " + d2.scored);
    }

    @Test
    void twoInstancesSplitThePartitionsAndTogetherFindWhatOneFinds() throws Exception {
        Topics.ensure(conn, List.of(Topics.Spec.of("logs.tw1", 2, 1), Topics.Spec.of("logs.tw2", 2, 1)));
        Workload w1 = Workload.make("tw1", 30, 2, 2000);
        Workload w2 = Workload.make("tw2", 30, 3, 3000);
        StreamMetrics m = new StreamMetrics();
        KeyRuleDetector da = new KeyRuleDetector(Set.of(1, 2));
        KeyRuleDetector db = new KeyRuleDetector(Set.of(1, 2));
        try (DetectorService a = service("app-two", "logs\\.tw.*", "a", m, da);
             DetectorService b = service("app-two", "logs\\.tw.*", "b", m, db)) {
            a.start(Duration.ofSeconds(60));
            b.start(Duration.ofSeconds(60));
            try (MetricsServer server = new MetricsServer(m, 0)) {
                produce("logs.tw1", w1.lines());
                produce("logs.tw2", w2.lines());
                // malformed input on the same topics disturbs nothing else
                produce("logs.tw1", List.of(new String[]{"x", "no session in this line"}, new String[]{"y", "{broken json"}));
                await("all sessions closed", () -> m.sessionsClosed.sum() >= 60);
                // the consumer's lag over the logs.* partitions is known (not -1) and everything was read
                await("consumer lag 0", () -> m.lag() == 0);
                String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(text.contains("anomalog_dead_letters_total 2"), text);
                assertTrue(text.contains("anomalog_sessions_closed_total 60"), text);
                assertTrue(text.contains("# TYPE anomalog_open_sessions gauge"), text);
                assertTrue(text.contains("anomalog_consumer_lag 0"), text);
            }
            assertTrue(!da.scored.isEmpty() && !db.scored.isEmpty(), "both instances did work");
            // each instance owns one task, which reads the same partition of both topics
            assertTrue(a.assignedTopics().containsAll(Set.of("logs.tw1", "logs.tw2")), a.assignedTopics().toString());
            assertTrue(b.assignedTopics().containsAll(Set.of("logs.tw1", "logs.tw2")), b.assignedTopics().toString());
            Thread.sleep(500);
        }
        Map<String, List<Integer>> want = new TreeMap<>(expected(w1.anomalousLineCounts(), "tw1/"));
        want.putAll(expected(w2.anomalousLineCounts(), "tw2/"));
        Map<String, List<Integer>> got = only(anomalies(), "tw");
        assertEquals(want, got);
        List<String> reasons = new ArrayList<>();
        for (var r : TopicReader.readAll(kafka.bootstrapServers(), Topics.DEAD_LETTER)) {
            reasons.add(Json.MAPPER.readTree(r.value()).get("reason").asText());
        }
        assertEquals(2, reasons.size(), reasons.toString());
    }
}
