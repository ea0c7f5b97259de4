package io.anomalog.stream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.detect.Params;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Json;
import io.anomalog.core.ingest.BadLinePolicy;
import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.SessionIdRule;
import io.anomalog.core.util.Progress;
import io.anomalog.stream.broker.EmbeddedKafka;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.demo.DemoModel;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.simulate.HdfsSimulator;
import io.anomalog.stream.simulate.KeySessions;
import io.anomalog.stream.simulate.SimulationWriter;
import io.anomalog.stream.ship.Shipper;
import io.anomalog.stream.topology.DetectorService;
import io.anomalog.stream.topology.DetectorTopology;
import io.anomalog.stream.topology.StreamModel;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end speed of the streaming path on this machine: simulated HDFS log files of several hosts are shipped
 * through an embedded Kafka broker into the detector service, and the benchmark measures
 * <ul>
 *   <li>throughput: log lines per second from the first shipped line until every session is scored (the final
 *       inactivity gap, which only waits, is subtracted and reported);</li>
 *   <li>latency: from a session's close (its gap ended) to its anomaly record arriving at a consumer of
 *       {@code anomalies} (scoring, transaction commit and delivery), p50 and p99.</li>
 * </ul>
 */
public final class StreamBenchmark {

    /** Host names of the measured pass's shippers (the warm-up's are warmup1, warmup2, ...). */
    private static final String MEASURED_HOSTS = "hadoop";

    /** Settings. */
    public static final class Settings {
        public int hosts = 3;
        public long sessions = 30_000;
        public double anomalyRate = 0.03;
        public Duration sessionGap = Duration.ofSeconds(2);
        /** Whether the detector writes every parsed event to logs.parsed, as the stream does by default. */
        public boolean publishParsed = true;
        public int streamThreads = 2;
        public long commitIntervalMillis = 500;
        public int partitions = 3;
        public int trainingSessions = 1500;
        public String method = "deeplog";
        public Map<String, String> params = new HashMap<>();
        public long seed = 11;
        /** Sessions shipped and scored before the measured pass, so that the JIT compiler has done its work. */
        public long warmupSessions = 0;
        public Path workDir;
        /** Started on the cluster and the detector's metrics just before the measured pass, closed after it (a load). */
        public java.util.function.BiFunction<KafkaConnection, StreamMetrics, AutoCloseable> duringMeasuredPass;
    }

    /** Measured figures. */
    public record Result(long lines, long sessions, long anomalies, double seconds, double linesPerSecond,
                         double ingestSeconds, double p50LatencyMillis, double p99LatencyMillis, double maxLatencyMillis,
                         double trainingSeconds, int cores, double loadAverage, double loadAverageBefore,
                         double cpuSeconds, Map<String, Double> cpuByPart, long warmupLines,
                         double warmupLinesPerSecond, double warmupJitShare) {

        /** Lines per second of this process's CPU time (all its threads: broker, shippers, detector). */
        public double linesPerCpuSecond() {
            return cpuSeconds > 0 ? lines / cpuSeconds : Double.NaN;
        }
    }

    private static final String JIT_PART = "JIT compiler threads";
    private final Settings s;
    private final PrintStream log;

    public StreamBenchmark(Settings s, PrintStream log) {
        this.s = s;
        this.log = log;
    }

    public Result run() throws IOException, InterruptedException {
        if (s.workDir != null) {
            return run(s.workDir);
        }
        // the simulated logs of a long warm-up take gigabytes: the run's own folder goes when it ends
        Path work = Files.createTempDirectory("anomalog-bench-stream-");
        try {
            return run(work);
        } finally {
            io.anomalog.core.io.Folders.deleteTree(work);
        }
    }

    private Result run(Path work) throws IOException, InterruptedException {
        KeySessions data = KeySessions.bundled();
        log.printf("simulating %,d sessions on %d hosts...%n", s.sessions, s.hosts);
        SimulationWriter.Summary sim = SimulationWriter.write(HdfsSimulator.builder(data).hosts(s.hosts)
                .sessions(s.sessions).anomalyRate(s.anomalyRate).seed(s.seed).build(), work.resolve("logs"));
        SimulationWriter.Summary warm = null;
        if (s.warmupSessions > 0) {
            // other block ids (another seed) and other files: the measured pass starts from an empty detector state
            warm = SimulationWriter.write(HdfsSimulator.builder(data).hosts(s.hosts).sessions(s.warmupSessions)
                    .anomalyRate(s.anomalyRate).seed(s.seed + 1000).build(), work.resolve("warmup"));
        }
        log.printf("training %s on %,d normal sessions...%n", s.method, s.trainingSessions);
        GroupingSpec.Sessions grouping = GroupingSpec.Sessions.byPattern(SessionIdRule.HDFS_BLOCK).withGap(s.sessionGap);
        DemoModel.Trained trained = DemoModel.train(data, s.method, s.trainingSessions, new Params(s.params),
                s.seed + 1, work.resolve("model"), FormatSpec.preset("hdfs"), grouping, Progress.NONE);
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start(); StreamModel model = trained.model()) {
            KafkaConnection conn = KafkaConnection.of(kafka.bootstrapServers());
            StreamMetrics metrics = new StreamMetrics();
            var topology = DetectorTopology.builder(model.pipeline(FormatSpec.preset("hdfs"), BadLinePolicy.defaults()),
                    model.detector()).grouping(grouping).publishParsed(s.publishParsed).metrics(metrics);
            List<Shipper> shippers = shippers(conn, work, "logs", MEASURED_HOSTS);
            List<Shipper> warmShippers = warm == null ? List.of() : shippers(conn, work, "warmup", "warmup");
            try (DetectorService service = DetectorService.builder(conn, topology).applicationId("anomalog-bench")
                    .stateDir(work.resolve("streams")).threads(s.streamThreads).topics(s.partitions, 1)
                    .commitIntervalMillis(s.commitIntervalMillis)
                    .metadataMaxAgeMillis(1000).build().start(Duration.ofSeconds(60))) {
                Map<String, Object> cp = new HashMap<>();
                cp.put("isolation.level", "read_committed");
                cp.put("group.id", "anomalog-bench-reader");
                cp.put("auto.offset.reset", "earliest");
                try (var consumer = new KafkaConsumer<>(conn.properties(cp), new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(Topics.ANOMALIES));
                    consumer.poll(Duration.ofMillis(500));
                    // A running service already reads its hosts' topics: the measured hosts' topics are created
                    // now, and the pass starts once the detector has been assigned them. Otherwise the pass would
                    // time a new host's arrival: topic discovery (metadata.max.age.ms) and a rebalance.
                    List<String> measuredTopics = hosts(MEASURED_HOSTS).stream().map(Topics::logsTopic).toList();
                    Topics.ensure(conn, measuredTopics.stream().map(t -> Topics.Spec.of(t, s.partitions, 1)).toList());
                    Pass w = null;
                    if (warm != null) {
                        log.printf("warm-up: shipping %,d lines of %,d other sessions (not measured)...%n",
                                warm.lines(), warm.sessions());
                        w = pass(warmShippers, warm, service, metrics, consumer);
                    }
                    AutoCloseable beside = s.duringMeasuredPass == null ? null : s.duringMeasuredPass.apply(conn, metrics);
                    awaitAssigned(service, measuredTopics);
                    log.printf("shipping %,d lines through Kafka into the detector...%n", sim.lines());
                    Pass p;
                    try {
                        p = pass(shippers, sim, service, metrics, consumer);
                    } finally {
                        if (beside != null) {
                            try {
                                beside.close();
                            } catch (Exception e) {
                                log.println("closing what ran beside the measured pass: " + e);
                            }
                        }
                    }
                    double seconds = p.seconds() - s.sessionGap.toMillis() / 1000.0;
                    double[] lat = p.latencies().stream().mapToDouble(Double::doubleValue).sorted().toArray();
                    return new Result(sim.lines(), sim.sessions(), lat.length, seconds, sim.lines() / seconds,
                            p.ingestSeconds(), percentile(lat, 0.50),
                            percentile(lat, 0.99), lat.length == 0 ? Double.NaN : lat[lat.length - 1],
                            trained.seconds(), Runtime.getRuntime().availableProcessors(),
                            os().getSystemLoadAverage(), p.loadBefore(), p.cpuSeconds(), p.cpuByPart(),
                            warm == null ? 0 : warm.lines(),
                            w == null ? Double.NaN : warm.lines() / (w.seconds() - s.sessionGap.toMillis() / 1000.0),
                            w == null ? Double.NaN : jitShare(w));
                }
            } finally {
                shippers.forEach(Shipper::close);
                warmShippers.forEach(Shipper::close);
            }
        }
    }

    /** The JIT compiler threads' share of a pass's CPU time, NaN where they were not measured. */
    private static double jitShare(Pass p) {
        Double jit = p.cpuByPart().get(JIT_PART);
        return jit == null || !(p.cpuSeconds() > 0) ? Double.NaN : jit / p.cpuSeconds();
    }

    /** Waits until the detector processes every partition of these topics (discovered and rebalanced). */
    private void awaitAssigned(DetectorService service, List<String> topics) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!service.assignedTopics().containsAll(topics)) {
            if (service.failure() != null) {
                throw new IllegalStateException("detector failed", service.failure());
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the detector was not assigned " + topics + " within 120 s (it has "
                        + service.assignedTopics() + ")");
            }
            Thread.sleep(100);
        }
    }

    /** The names of the simulated hosts with this prefix: prefix1, prefix2, ... */
    private List<String> hosts(String prefix) {
        List<String> hosts = new ArrayList<>();
        for (int i = 1; i <= s.hosts; i++) {
            hosts.add(prefix + i);
        }
        return hosts;
    }

    private List<Shipper> shippers(KafkaConnection conn, Path work, String dir, String hostPrefix) {
        List<Shipper> shippers = new ArrayList<>();
        List<String> hosts = hosts(hostPrefix);
        for (int i = 1; i <= hosts.size(); i++) {
            String host = hosts.get(i - 1);
            shippers.add(Shipper.builder(conn, host)
                    .path(SimulationWriter.logFile(work.resolve(dir), "hadoop" + i).toString())
                    .registry(work.resolve("registry-" + host + ".json")).topic(s.partitions, 1)
                    // Each host in its own partition, as many hosts spread over the partitions in a real
                    // deployment; hashing three temporary paths would often put them into one task.
                    .partition((i - 1) % s.partitions).build());
        }
        return shippers;
    }

    /** What one pass of files through the pipeline measured. */
    private record Pass(double seconds, double ingestSeconds, List<Double> latencies, double loadBefore,
                        double cpuSeconds, Map<String, Double> cpuByPart) {
    }

    /** Ships the files of one simulation and waits until every one of its sessions is scored. */
    private Pass pass(List<Shipper> shippers, SimulationWriter.Summary sim, DetectorService service,
                      StreamMetrics metrics, KafkaConsumer<String, byte[]> consumer) throws InterruptedException {
        long closed0 = metrics.sessionsClosed.sum();
        long in0 = metrics.recordsIn.sum();
        long anomalies0 = metrics.anomalies.sum();
        List<Double> latencies = new ArrayList<>();
        double loadBefore = os().getSystemLoadAverage();
        long cpu0 = processCpuNanos();
        Map<Long, Long> threads0 = threadCpuNanos();
        long t0 = System.nanoTime();
        long jit0 = jitMillis();
        var native0 = NativeThreadCpu.sample();
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLong shipperCpu = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean measured = new java.util.concurrent.atomic.AtomicBoolean();
        for (Shipper sh : shippers) {
            Thread t = new Thread(() -> {
                long c0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                try {
                    sh.shipOnce();
                    // then as a running shipper does: heartbeats while there is nothing more to ship, so the
                    // detector's time for the host goes on and its last sessions close
                    while (!measured.get()) {
                        sh.heartbeat();
                        Thread.sleep(100);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    // These threads end before the interval does: they report their own CPU time.
                    shipperCpu.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean()
                            .getCurrentThreadCpuTime() - c0);
                }
            }, "bench-shipper");
            t.start();
            threads.add(t);
        }
        long ingestDone = 0;
        long lastReport = System.currentTimeMillis();
        long deadline = System.currentTimeMillis() + 30 * 60_000;
        while (metrics.sessionsClosed.sum() - closed0 < sim.sessions() && System.currentTimeMillis() < deadline) {
            if (service.failure() != null) {
                throw new IllegalStateException("detector failed", service.failure());
            }
            consumer.poll(Duration.ofMillis(100)).forEach(r -> latencies.add(latencyMillis(r.value())));
            if (System.currentTimeMillis() - lastReport >= 2000) {
                lastReport = System.currentTimeMillis();
                log.printf(Locale.ROOT, "  %5.1f s: shipped %,d, detector read %,d, sessions scored %,d%n",
                        (System.nanoTime() - t0) / 1e9, shippers.stream().mapToLong(Shipper::shipped).sum(),
                        metrics.recordsIn.sum() - in0, metrics.sessionsClosed.sum() - closed0);
            }
            if (ingestDone == 0 && metrics.recordsIn.sum() - in0 >= sim.lines()) {
                ingestDone = System.nanoTime();
            }
        }
        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();
        Map<Long, Long> threads1 = threadCpuNanos();
        long jit1 = jitMillis();
        var native1 = NativeThreadCpu.sample();
        measured.set(true);
        for (Thread t : threads) {
            t.join();
        }
        Map<String, Double> byPart = cpuByPart(threads0, threads1, (cpu1 - cpu0) / 1e9,
                shipperCpu.get() / 1e9, jit0 < 0 ? Double.NaN : (jit1 - jit0) / 1e3,
                NativeThreadCpu.available() ? NativeThreadCpu.between(native0, native1) : null);
        // the anomaly records of this pass that are still in flight
        long until = System.currentTimeMillis() + 3000;
        while (latencies.size() < metrics.anomalies.sum() - anomalies0 && System.currentTimeMillis() < until) {
            consumer.poll(Duration.ofMillis(100)).forEach(r -> latencies.add(latencyMillis(r.value())));
        }
        return new Pass((t1 - t0) / 1e9, ingestDone == 0 ? Double.NaN : (ingestDone - t0) / 1e9, latencies,
                loadBefore, cpu1 < 0 || cpu0 < 0 ? Double.NaN : (cpu1 - cpu0) / 1e9, byPart);
    }

    private static java.lang.management.OperatingSystemMXBean os() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    }

    /** CPU time of the whole process (every thread), or -1 where the JVM cannot tell. */
    private static long processCpuNanos() {
        return os() instanceof com.sun.management.OperatingSystemMXBean b ? b.getProcessCpuTime() : -1;
    }

    /** Total JIT compilation time so far, or -1 where the JVM does not report it. */
    private static long jitMillis() {
        var c = java.lang.management.ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : -1;
    }

    /** CPU time of every live thread, by thread id. */
    private static Map<Long, Long> threadCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new HashMap<>();
        if (!mx.isThreadCpuTimeSupported()) {
            return out;
        }
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t >= 0) {
                out.put(id, t);
            }
        }
        return out;
    }

    /**
     * Splits the CPU time of the measured interval by the part of the pipeline a thread belongs to (by its name).
     * What no live Java thread accounts for (JIT compiler, garbage collector, threads that ended) is "other".
     */
    private static Map<String, Double> cpuByPart(Map<Long, Long> before, Map<Long, Long> after, double total,
                                                 double endedShipperThreads, double jitSeconds,
                                                 Map<NativeThreadCpu.Kind, Double> nativeThreads) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Double> parts = new java.util.LinkedHashMap<>();
        for (String p : List.of("detector (stream threads and their producers)", "shippers (readers and producers)",
                "broker", "benchmark reader")) {
            parts.put(p, 0.0);
        }
        double counted = 0;
        for (var e : after.entrySet()) {
            java.lang.management.ThreadInfo info = mx.getThreadInfo(e.getKey());
            if (info == null) {
                continue;
            }
            double sec = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e9;
            String n = info.getThreadName();
            String part = n.contains("anomalog-bench-reader") || n.equals("main") ? "benchmark reader"
                    : n.contains("StreamThread") || n.contains("StateUpdater") || n.contains("anomalog-bench") ? "detector (stream threads and their producers)"
                    : n.startsWith("bench-shipper") ? null
                    : n.contains("anomalog-ship") ? "shippers (readers and producers)"
                    : "broker";
            if (part == null) {
                continue; // counted by the shipper threads themselves
            }
            parts.merge(part, sec, Double::sum);
            counted += sec;
        }
        parts.merge("shippers (readers and producers)", endedShipperThreads, Double::sum);
        counted += endedShipperThreads;
        double other = Math.max(0, total - counted);
        if (nativeThreads != null) {
            // measured per native thread (Linux): the compiler threads and the collector's threads
            double jit = Math.min(other, nativeThreads.get(NativeThreadCpu.Kind.JIT));
            other -= jit;
            double gc = Math.min(other, nativeThreads.get(NativeThreadCpu.Kind.GC));
            other -= gc;
            parts.put(JIT_PART, jit);
            parts.put("garbage collector and VM thread", gc);
            parts.put("other (JVM threads, threads that ended)", other);
            return parts;
        }
        if (!Double.isNaN(jitSeconds)) {
            // Compilation time is the compiler threads' elapsed time: an estimate of their CPU time.
            double jit = Math.min(other, jitSeconds);
            parts.put("JIT compiler (estimated from its compilation time)", jit);
            other -= jit;
        }
        parts.put("other (garbage collector, other JVM threads)", other);
        return parts;
    }

    private static double latencyMillis(byte[] value) {
        try {
            JsonNode n = Json.MAPPER.readTree(value);
            return System.currentTimeMillis() - Instant.parse(n.get("closedAt").asText()).toEpochMilli();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuTable(Result r) {
        StringBuilder b = new StringBuilder();
        for (var e : r.cpuByPart().entrySet()) {
            b.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f %% |%n", e.getKey(), e.getValue(),
                    100 * e.getValue() / r.cpuSeconds()));
        }
        return b.toString();
    }

    /** The JVM's -X options of this process, as the launcher gave them ({@code none} when it gave none). */
    static String jvmOptions() {
        List<String> opts = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X")).toList();
        return opts.isEmpty() ? "none" : "`" + String.join(" ", opts) + "`";
    }

    /** The garbage collector's parts, by the names the JVM gives them. */
    static String collectors() {
        return String.join(", ", java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList());
    }

    /** Writes the result as Markdown, naming the command that produced it. */
    public static void writeReport(Path file, Result r, Settings s, String command) throws IOException {
        String md = String.format(Locale.ROOT, """
                # Streaming benchmark

                Produced by `%s` on %s, host `%s` (%d CPU cores seen by the JVM; system load average %.1f before
                and %.1f at the end of the run: a load above the core count means other work competed for the CPU
                and the wall-clock figures are pessimistic; lines per CPU-second does not depend on that).

                Path measured: %d simulated HDFS hosts' log files -> `anomalog ship` (one shipper per host,
                transactional) -> embedded Kafka broker (`logs.<host>`, %d partitions each) -> detector service
                (Kafka Streams, exactly_once_v2, %d stream threads; Drain parsing, sessions by block id, %s scoring)
                -> `anomalies` topic -> a read_committed consumer. The measured hosts' topics exist and the
                detector has been assigned them before the pass starts, as in a running service (a new host's first
                lines also wait for topic discovery and a rebalance). JVM options: %s (collectors: %s).

                | figure | value | target |
                |---|---|---|
                | lines | %,d | |
                | sessions (blocks) | %,d | |
                | anomaly records | %,d | |
                | end-to-end throughput | **%,.0f lines/s** | >= 100,000 lines/s |
                | process CPU time during that wall time (broker + shippers + detector, all threads) | %.1f s | |
                | lines per CPU-second | **%,.0f** | |
                | wall time, first shipped line to last session scored (final %.1f s gap subtracted) | %.1f s | |
                | time until the detector had read every line | %.1f s | |
                | latency session close -> anomaly record, p50 | **%.0f ms** | |
                | latency session close -> anomaly record, p99 | **%.0f ms** | <= 2,000 ms |
                | latency, max | %.0f ms | |
                | model training before the run (not timed above) | %.1f s | |
                | warm-up before the measured pass (other sessions, same process, not timed above) | %,d lines | |
                | the warm-up pass itself (a cold JVM): throughput, JIT compiler threads' share of its CPU | %s | |

                CPU time of the measured interval by part of the pipeline (all in one process here):

                | part | CPU seconds | share |
                |---|---|---|
                %s
                Thread names decide the part; the shipper threads report their own CPU time when they finish. The
                JIT compiler and the garbage collector are not Java threads: on Linux their CPU time is read per
                native thread from /proc/self/task; elsewhere the JIT row is the JVM's compilation time (an
                estimate) and the collector falls under "other".

                Latency is measured from the `closedAt` time in each anomaly record (when the wall-clock punctuator
                closed the session) to the moment the consumer received the record: it covers scoring, the
                exactly-once transaction commit (commit interval %d ms) and delivery.
                """, command, Instant.now().toString().substring(0, 10), hostName(), r.cores(), r.loadAverageBefore(),
                r.loadAverage(), s.hosts, s.partitions, s.streamThreads, s.method, jvmOptions(), collectors(),
                r.lines(), r.sessions(), r.anomalies(),
                r.linesPerSecond(), r.cpuSeconds(), r.linesPerCpuSecond(),
                s.sessionGap.toMillis() / 1000.0, r.seconds(), r.ingestSeconds(), r.p50LatencyMillis(),
                r.p99LatencyMillis(), r.maxLatencyMillis(), r.trainingSeconds(), r.warmupLines(),
                Double.isNaN(r.warmupLinesPerSecond()) ? "none" : String.format(Locale.ROOT, "%,.0f lines/s, %s",
                        r.warmupLinesPerSecond(), Double.isNaN(r.warmupJitShare()) ? "not measured"
                                : String.format(Locale.ROOT, "%.0f %%", 100 * r.warmupJitShare())),
                cpuTable(r),
                s.commitIntervalMillis);
        AtomicFiles.write(file, md.getBytes(StandardCharsets.UTF_8));
    }
}
