package io.anomalog.bench.failover;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.detect.Params;
import io.anomalog.core.ingest.BadLinePolicy;
import io.anomalog.core.io.Json;
import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.SessionIdRule;
import io.anomalog.core.util.Progress;
import io.anomalog.stream.broker.EmbeddedKafka;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.demo.DemoModel;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.ship.FilebeatEvent;
import io.anomalog.stream.ship.Shipper;
import io.anomalog.stream.simulate.HdfsSimulator;
import io.anomalog.stream.simulate.KeySessions;
import io.anomalog.stream.simulate.SimulationWriter;
import io.anomalog.stream.topology.DetectorService;
import io.anomalog.stream.topology.DetectorTopology;
import io.anomalog.stream.topology.StreamModel;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Broker-leader failover under a running stream: a three-node KRaft cluster in this JVM (every topic with three
 * replicas, {@code min.insync.replicas=2}), simulated HDFS hosts appending to their log files at a steady rate, one
 * shipper per host and the detector service (the code of {@code anomalog ship} and {@code anomalog stream}), and a
 * reader of {@code logs.parsed}. Midway the broker that leads the first host's {@code logs.<host>} partition is
 * stopped as a failing machine would be (no controlled shutdown: the controller learns of it only when its
 * session times out). Each line's latency is measured as {@link FailoverFigures} defines it, and after the run
 * every line is counted by (file, offset) in {@code logs.<host>} and in {@code logs.parsed}, and every anomaly
 * record by session.
 */
public final class FailoverBenchmark {

    /** Settings. */
    public static final class Settings {
        public int hosts = 3;
        /** Lines per second written by all hosts together. */
        public double linesPerSecond = 1500;
        /** How long the hosts write. */
        public Duration duration = Duration.ofSeconds(90);
        /** When the leader is stopped, from the start of writing. */
        public Duration killAt = Duration.ofSeconds(45);
        /** The baseline starts here, once the pipeline's start-up (first transactions, JIT) is behind it. */
        public Duration baselineFrom = Duration.ofSeconds(25);
        public Duration sessionGap = Duration.ofSeconds(2);
        /** A cheap detector by default: the figure is about Kafka, not about scoring. */
        public String method = "ngram";
        public Map<String, String> params = new HashMap<>();
        public int trainingSessions = 400;
        public long seed = 11;
        /** How long to wait, after writing ended, for the last lines to arrive. */
        public Duration drainLimit = Duration.ofSeconds(180);
        public Path workDir;
        /**
         * The brokers' {@code broker.session.timeout.ms} (heartbeats: {@link #heartbeatMillis}), or null for the one
         * anomalog's clusters use ({@link EmbeddedKafka#CLUSTER_SESSION_TIMEOUT_MILLIS}): how long the controller
         * waits before it fences a silent broker and moves its leaders.
         */
        public Duration brokerSessionTimeout;
        /**
         * Stop a broker that is both the active controller and the leader of a host's partition, instead of the
         * leader of the first host's partition (whichever broker that is).
         */
        public boolean stopController;
    }

    /** What was measured and counted. */
    public record Result(FailoverFigures.Figures figures, long written, long arrived, long shippedDistinct,
                         long shippedRepeated, long parsedRepeated, long lost, long anomalySessions,
                         long anomalyRepeated, String killedHost, int killedBroker, int controllerBeforeKill,
                         int newLeader, double killSecond, double writeSeconds, double loadBefore, double loadAfter,
                         int cores, double trainingSeconds) {
    }

    private static final long TICK_MILLIS = 50;
    private final Settings s;
    private final PrintStream log;

    public FailoverBenchmark(Settings s, PrintStream log) {
        this.s = s;
        this.log = log;
    }

    public Result run() throws IOException, InterruptedException {
        if (s.killAt.compareTo(s.duration) >= 0 || s.baselineFrom.compareTo(s.killAt) >= 0) {
            throw new IllegalArgumentException("need baseline start < kill time < duration");
        }
        if (s.workDir != null) {
            return run(s.workDir);
        }
        Path work = Files.createTempDirectory("anomalog-bench-failover-");
        try {
            return run(work);
        } finally {
            io.anomalog.core.io.Folders.deleteTree(work);
        }
    }

    /** One host's live file: its lines, how many are written, and when each chunk of them was. */
    private static final class Host {
        final String name;
        final Path file;
        final List<String> lines;
        final long[] offsets;
        int written;
        /** file offset of a chunk's first line -> when the chunk was appended */
        final TreeMap<Long, Long> chunks = new TreeMap<>();

        Host(String name, Path file, List<String> lines) {
            this.name = name;
            this.file = file;
            this.lines = lines;
            this.offsets = new long[lines.size()];
            long o = 0;
            for (int i = 0; i < lines.size(); i++) {
                offsets[i] = o;
                o += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
            }
        }

        long writtenAt(long offset) {
            var e = chunks.floorEntry(offset);
            return e == null ? -1 : e.getValue();
        }
    }

    /** The kill waits at most this long past its planned time for the detector to keep up. */
    static final long MAX_KILL_DELAY_MILLIS = 120_000;

    private Result run(Path work) throws IOException, InterruptedException {
        double loadBefore = os().getSystemLoadAverage();
        KeySessions data = KeySessions.bundled();
        long needed = (long) Math.ceil(s.linesPerSecond * (s.duration.toMillis() + MAX_KILL_DELAY_MILLIS) / 1000.0);
        // HDFS sessions of the simulator have well over 5 lines: this many sessions are enough to fill the run
        long sessions = Math.max(100, needed / 5);
        SimulationWriter.write(HdfsSimulator.builder(data).hosts(s.hosts).sessions(sessions).anomalyRate(0.03)
                .seed(s.seed).build(), work.resolve("staged"));
        List<Host> hosts = new ArrayList<>();
        for (int i = 1; i <= s.hosts; i++) {
            String name = "hadoop" + i;
            List<String> lines = Files.readAllLines(SimulationWriter.logFile(work.resolve("staged"), name),
                    StandardCharsets.UTF_8);
            Path live = work.resolve("live").resolve(name).resolve("hdfs.log");
            Files.createDirectories(live.getParent());
            Files.createFile(live);
            hosts.add(new Host(name, live, lines));
        }
        log.printf("training %s on %,d normal sessions...%n", s.method, s.trainingSessions);
        GroupingSpec.Sessions grouping = GroupingSpec.Sessions.byPattern(SessionIdRule.HDFS_BLOCK).withGap(s.sessionGap);
        DemoModel.Trained trained = DemoModel.train(data, s.method, s.trainingSessions, new Params(s.params),
                s.seed + 1, work.resolve("model"), FormatSpec.preset("hdfs"), grouping, Progress.NONE);
        log.println("starting a three-node KRaft cluster...");
        try (EmbeddedKafka kafka = cluster(s).build().start(); StreamModel model = trained.model()) {
            KafkaConnection conn = KafkaConnection.of(kafka.bootstrapServers());
            StreamMetrics metrics = new StreamMetrics();
            var topology = DetectorTopology.builder(model.pipeline(FormatSpec.preset("hdfs"), BadLinePolicy.defaults()),
                    model.detector()).grouping(grouping).publishParsed(true).metrics(metrics);
            List<Shipper> shippers = new ArrayList<>();
            for (Host h : hosts) {
                // one partition per host topic: "the leader of logs.<host>" is one broker
                shippers.add(Shipper.builder(conn, h.name).path(h.file.toString())
                        .registry(work.resolve("registry-" + h.name + ".json")).topic(1, 3).build());
            }
            List<Thread> shipping = new ArrayList<>();
            Map<String, Integer> parsedCounts = new ConcurrentHashMap<>();
            List<FailoverFigures.Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean reading = new AtomicBoolean(true);
            AtomicLong arrived = new AtomicLong();
            try (DetectorService service = DetectorService.builder(conn, topology).applicationId("anomalog-failover")
                    .stateDir(work.resolve("streams")).topics(3, 3).build().start(Duration.ofSeconds(180),
                            said -> log.println("  detector " + said))) {
                for (Shipper sh : shippers) {
                    Thread t = new Thread(() -> {
                        try {
                            sh.run();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, "anomalog-ship-" + shippers.indexOf(sh));
                    t.start();
                    shipping.add(t);
                }
                Map<String, Host> byName = new HashMap<>();
                hosts.forEach(h -> byName.put(h.name, h));
                Thread reader = new Thread(() -> readParsed(conn, byName, samples, parsedCounts, arrived, reading),
                        "bench-failover-reader");
                reader.start();

                // the hosts write at a steady rate; midway the leader of the first host's partition fails
                String killedHost = hosts.get(0).name;
                String killedTopic = Topics.logsTopic(killedHost);
                long start = System.currentTimeMillis();
                // until the kill the run has no end: the kill waits for a steady pipeline (below)
                long end = Long.MAX_VALUE;
                long baselineMillis = s.killAt.toMillis() - s.baselineFrom.toMillis();
                long steadySince = -1;
                long killTime = -1;
                int killed = -1;
                int controller = -1;
                Thread killer = null;
                long lastReport = start;
                double perHost = s.linesPerSecond / s.hosts;
                long totalWritten = 0;
                while (System.currentTimeMillis() < end) {
                    long now = System.currentTimeMillis();
                    long target = (long) ((now - start) / 1000.0 * perHost);
                    for (Host h : hosts) {
                        int to = (int) Math.min(h.lines.size(), target);
                        if (to > h.written) {
                            Files.writeString(h.file, String.join("\n", h.lines.subList(h.written, to)) + "\n",
                                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                            h.chunks.put(h.offsets[h.written], System.currentTimeMillis());
                            totalWritten += to - h.written;
                            h.written = to;
                        }
                    }
                    // the baseline is only a baseline when the detector keeps up (a cold start may lag for a
                    // while): the kill waits until the backlog has stayed under a second of lines for as long as
                    // the baseline lasts, at most MAX_KILL_DELAY_MILLIS past the planned time
                    long backlog = totalWritten - arrived.get();
                    if (backlog > s.linesPerSecond) {
                        steadySince = -1;
                    } else if (steadySince < 0) {
                        steadySince = now;
                    }
                    boolean steady = steadySince >= 0 && now - steadySince >= baselineMillis;
                    if (killTime < 0 && now - start >= s.killAt.toMillis()
                            && (steady || now - start >= s.killAt.toMillis() + MAX_KILL_DELAY_MILLIS)) {
                        if (!steady) {
                            log.printf(Locale.ROOT, "  the detector did not keep up within %d s of the planned kill;"
                                    + " killing anyway, the baseline includes its lag%n", MAX_KILL_DELAY_MILLIS / 1000);
                        }
                        int[] lc = leaderAndController(conn, killedTopic);
                        if (s.stopController) {
                            // the worst case: the failed node leads a host's partition and is the active
                            // controller, so a new controller is elected before the partition moves
                            for (Host h : hosts) {
                                int[] hc = leaderAndController(conn, Topics.logsTopic(h.name));
                                if (hc[0] == hc[1]) {
                                    killedHost = h.name;
                                    killedTopic = Topics.logsTopic(h.name);
                                    lc = hc;
                                    break;
                                }
                            }
                            if (lc[0] != lc[1]) {
                                // the controller leads no host's partition: it is made the leader of the first
                                // host's (a preferred-leader election, over in well under a second)
                                moveLeader(conn, killedTopic, lc[1]);
                                lc = leaderAndController(conn, killedTopic);
                                log.printf(Locale.ROOT, "  moved the leadership of %s to the active controller, broker %d%n",
                                        killedTopic, lc[0]);
                            }
                            if (lc[0] != lc[1]) {
                                throw new IllegalStateException("could not make the active controller (broker "
                                        + lc[1] + ") the leader of " + killedTopic);
                            }
                        }
                        killed = lc[0];
                        controller = lc[1];
                        int node = killed;
                        log.printf(Locale.ROOT, "  %5.1f s: stopping broker %d, leader of %s (active controller: %d)%n",
                                (now - start) / 1000.0, node, killedTopic, controller);
                        killTime = System.currentTimeMillis();
                        end = killTime + s.duration.toMillis() - s.killAt.toMillis();
                        // stopping blocks until the node is down: the hosts go on writing meanwhile
                        killer = new Thread(() -> kafka.stopNode(node), "bench-failover-kill");
                        killer.start();
                    }
                    if (now - lastReport >= 5000) {
                        lastReport = now;
                        log.printf(Locale.ROOT, "  %5.1f s: written %,d, shipped %,d, parsed events read %,d%n",
                                (now - start) / 1000.0, totalWritten,
                                shippers.stream().mapToLong(Shipper::shipped).sum(), arrived.get());
                    }
                    if (service.failure() != null) {
                        throw new IllegalStateException("detector failed", service.failure());
                    }
                    Thread.sleep(TICK_MILLIS);
                }
                long writeEnd = System.currentTimeMillis();
                long expected = totalWritten;
                log.printf("written %,d lines; waiting for the last of them to arrive...%n", expected);
                long drainDeadline = System.currentTimeMillis() + s.drainLimit.toMillis();
                while (parsedCounts.size() < expected && System.currentTimeMillis() < drainDeadline
                        && service.failure() == null) {
                    Thread.sleep(200);
                }
                if (killer != null) {
                    killer.join();
                }
                int newLeader = leaderAndController(conn, killedTopic)[0];
                // the last sessions close a gap after their last line, then their anomaly records commit
                Thread.sleep(s.sessionGap.toMillis() * 2 + 2000);
                reading.set(false);
                reader.join();
                shippers.forEach(Shipper::stop);
                for (Thread t : shipping) {
                    t.join(30_000);
                }

                long[] writtenAt = new long[(int) expected];
                int k = 0;
                for (Host h : hosts) {
                    for (int i = 0; i < h.written; i++) {
                        writtenAt[k++] = h.writtenAt(h.offsets[i]);
                    }
                }
                List<FailoverFigures.Sample> copy;
                synchronized (samples) {
                    copy = new ArrayList<>(samples);
                }
                FailoverFigures.Figures f = FailoverFigures.compute(copy, writtenAt, start,
                        killTime - baselineMillis, killTime, writeEnd, 100);
                Counts c = count(conn, hosts, parsedCounts);
                return new Result(f, expected, parsedCounts.size(), c.shippedDistinct, c.shippedRepeated,
                        c.parsedRepeated, c.lost, c.anomalySessions, c.anomalyRepeated, killedHost, killed,
                        controller, newLeader, (killTime - start) / 1000.0, (writeEnd - start) / 1000.0, loadBefore,
                        os().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors(), trained.seconds());
            } finally {
                reading.set(false);
                shippers.forEach(Shipper::stop);
                shippers.forEach(Shipper::close);
            }
        }
    }

    /**
     * Reads {@code logs.parsed} as the detector commits it, from the beginning, assigned (no consumer group, so the
     * group coordinator's move does not stall the measurement), and times each line's arrival.
     */
    private void readParsed(KafkaConnection conn, Map<String, Host> hosts, List<FailoverFigures.Sample> samples,
                            Map<String, Integer> counts, AtomicLong arrived, AtomicBoolean reading) {
        Map<String, Object> p = new HashMap<>();
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", false);
        try (var c = new KafkaConsumer<>(conn.properties(p), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topics.PARSED, Duration.ofSeconds(60)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    try {
                        JsonNode n = Json.MAPPER.readTree(r.value());
                        String host = n.get("host").asText();
                        long offset = n.get("fileOffset").asLong();
                        Host h = hosts.get(host);
                        if (h == null) {
                            continue;
                        }
                        if (counts.merge(host + "@" + offset, 1, Integer::sum) == 1) {
                            samples.add(new FailoverFigures.Sample(host, h.writtenAt(offset), now));
                            arrived.incrementAndGet();
                        }
                    } catch (IOException | RuntimeException e) {
                        log.println("  unreadable parsed event: " + e.getMessage());
                    }
                }
            }
        }
    }

    private record Counts(long shippedDistinct, long shippedRepeated, long parsedRepeated, long lost,
                          long anomalySessions, long anomalyRepeated) {
    }

    /** Every written line by (file, offset) in its host's topic and in logs.parsed; anomaly records by session. */
    private static Counts count(KafkaConnection conn, List<Host> hosts, Map<String, Integer> parsed) throws IOException {
        Map<String, Integer> shipped = new HashMap<>();
        for (Host h : hosts) {
            for (byte[] v : readAll(conn, Topics.logsTopic(h.name))) {
                if (FilebeatEvent.isSignal(v)) {
                    continue;
                }
                JsonNode n = Json.MAPPER.readTree(v);
                shipped.merge(n.get("log").get("file").get("path").asText() + "@" + n.get("log").get("offset").asLong(),
                        1, Integer::sum);
            }
        }
        long lost = 0;
        for (Host h : hosts) {
            for (int i = 0; i < h.written; i++) {
                if (!shipped.containsKey(h.file + "@" + h.offsets[i]) || !parsed.containsKey(h.name + "@" + h.offsets[i])) {
                    lost++;
                }
            }
        }
        Map<String, Integer> anomalies = new HashMap<>();
        for (byte[] v : readAll(conn, Topics.ANOMALIES)) {
            JsonNode n = Json.MAPPER.readTree(v);
            anomalies.merge(n.get("host").asText() + "/" + n.get("sessionId").asText(), 1, Integer::sum);
        }
        return new Counts(shipped.size(), shipped.values().stream().filter(x -> x > 1).count(),
                parsed.values().stream().filter(x -> x > 1).count(), lost, anomalies.size(),
                anomalies.values().stream().filter(x -> x > 1).count());
    }

    /** Every committed record of a topic, read to its end offsets. */
    private static List<byte[]> readAll(KafkaConnection conn, String topic) {
        Map<String, Object> p = new HashMap<>();
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", false);
        List<byte[]> out = new ArrayList<>();
        try (var c = new KafkaConsumer<>(conn.properties(p), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(60));
            long deadline = System.currentTimeMillis() + 120_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 120 s");
                }
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
        }
        return out;
    }

    /** Makes a broker the leader of partition 0 of a topic: first in its replica list, then a preferred election. */
    private static void moveLeader(KafkaConnection conn, String topic, int broker) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(conn.properties(Map.of("default.api.timeout.ms", 60_000)))) {
            List<Integer> replicas = new ArrayList<>(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().get(0).replicas().stream().map(org.apache.kafka.common.Node::id).toList());
            if (!replicas.remove((Integer) broker)) {
                throw new IllegalStateException("broker " + broker + " holds no replica of " + topic);
            }
            replicas.add(0, broker);
            admin.alterPartitionReassignments(Map.of(tp, java.util.Optional.of(
                    new org.apache.kafka.clients.admin.NewPartitionReassignment(replicas)))).all().get();
            long deadline = System.currentTimeMillis() + 30_000;
            while (!admin.listPartitionReassignments(java.util.Set.of(tp)).reassignments().get().isEmpty()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the reassignment of " + topic + " did not finish within 30 s");
                }
                Thread.sleep(100);
            }
            admin.electLeaders(org.apache.kafka.common.ElectionType.PREFERRED, java.util.Set.of(tp)).all().get();
            while (leaderAndController(conn, topic)[0] != broker && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot move the leader of " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The leader of partition 0 of a topic and the active controller, as the cluster reports them now. */
    private static int[] leaderAndController(KafkaConnection conn, String topic) {
        try (Admin admin = Admin.create(conn.properties(Map.of("default.api.timeout.ms", 60_000)))) {
            var leader = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(0)
                    .leader();
            int controller = admin.describeMetadataQuorum().quorumInfo().get().leaderId();
            return new int[]{leader == null ? -1 : leader.id(), controller};
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot describe " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static java.lang.management.OperatingSystemMXBean os() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    }

    private static EmbeddedKafka.Builder cluster(Settings s) {
        EmbeddedKafka.Builder b = EmbeddedKafka.builder().nodes(3);
        if (s.brokerSessionTimeout != null) {
            long ms = s.brokerSessionTimeout.toMillis();
            b.property("broker.session.timeout.ms", String.valueOf(ms))
                    .property("broker.heartbeat.interval.ms", String.valueOf(heartbeatMillis(s.brokerSessionTimeout)));
        }
        return b;
    }

    /** Heartbeats at a quarter of the session timeout, but no rarer than Kafka's default (2 s, with its 9 s). */
    static long heartbeatMillis(Duration sessionTimeout) {
        return Math.min(2000, Math.max(250, sessionTimeout.toMillis() / 4));
    }
}
