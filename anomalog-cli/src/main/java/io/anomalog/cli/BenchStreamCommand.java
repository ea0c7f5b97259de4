package io.anomalog.cli;

import io.anomalog.core.detect.Params;
import io.anomalog.stream.bench.StreamBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code anomalog bench stream}: end-to-end throughput and latency of the streaming path. */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = "Ships simulated HDFS logs through an embedded Kafka broker into the detector and measures "
                + "lines/s end to end and the latency from session close to anomaly record; writes docs/results/stream.md.")
final class BenchStreamCommand implements Callable<Integer> {

    @Option(names = "--sessions", defaultValue = "100000", description = "Sessions of the measured pass (default: ${DEFAULT-VALUE}, about 2 million lines: a shorter pass is at the mercy of one burst of JIT compilation).")
    long sessions;

    @Option(names = "--warmup", defaultValue = "400000", description = "Sessions shipped and scored first, not "
            + "measured, so that the figures are those of a running service, not of JIT compilation (the broker, "
            + "clients, Streams and detector share one JVM, whose compiler is still busy after millions of lines); "
            + "0 = none (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--hosts", defaultValue = "3", description = "Hosts (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--threads", defaultValue = "2", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--session-gap", defaultValue = "2s", description = "Inactivity gap (default: ${DEFAULT-VALUE}).")
    Duration gap;

    @Option(names = "--no-parsed-events",
            description = "Measure without the logs.parsed output (the stream writes it by default).")
    boolean noParsedEvents;

    @Option(names = "--method", description = "Detector to train (default: deeplog, or ngram in a build without deeplog).")
    String method;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Detector hyper-parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = {"-o", "--out"}, defaultValue = "docs/results/stream.md", description = "Report file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        StreamBenchmark.Settings s = new StreamBenchmark.Settings();
        s.sessions = sessions;
        s.hosts = hosts;
        s.warmupSessions = warmup;
        s.streamThreads = threads;
        if (gap.isZero() || gap.isNegative()) {
            throw new io.anomalog.core.util.AnomalogException("--session-gap must be positive, not " + gap);
        }
        s.sessionGap = gap;
        s.publishParsed = !noParsedEvents;
        s.method = method != null ? method : DemoCommand.DemoDefaults.method();
        method = s.method;
        s.params = new java.util.HashMap<>(DemoCommand.DemoDefaults.params(method));
        s.params.putAll(Params.parse(params));
        StreamBenchmark.Result r = new StreamBenchmark(s, System.err).run();
        Path report = out.isAbsolute() ? out : Path.of(System.getProperty("anomalog.repo", ".")).resolve(out);
        StringBuilder cmd = new StringBuilder("anomalog bench stream");
        if (sessions != 100000) {
            cmd.append(" --sessions ").append(sessions);
        }
        if (warmup != 400000) {
            cmd.append(" --warmup ").append(warmup);
        }
        if (threads != 2) {
            cmd.append(" --threads ").append(threads);
        }
        if (noParsedEvents) {
            cmd.append(" --no-parsed-events");
        }
        if (!out.equals(Path.of("docs/results/stream.md"))) {
            cmd.append(" --out ").append(out);
        }
        StreamBenchmark.writeReport(report, r, s, cmd.toString());
        System.out.printf(Locale.ROOT, "%,d lines in %.1f s: %,.0f lines/s end to end (%.1f CPU-s, %,.0f lines per "
                + "CPU-second, load %.1f); close->anomaly latency p50 %.0f ms, p99 %.0f ms (%d anomaly records); "
                + "report %s%n", r.lines(), r.seconds(), r.linesPerSecond(), r.cpuSeconds(), r.linesPerCpuSecond(),
                r.loadAverage(), r.p50LatencyMillis(), r.p99LatencyMillis(), r.anomalies(), report);
        return 0;
    }
}
