package io.anomalog.cli;

import io.anomalog.core.detect.Params;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.server.bench.ConsoleLoad;
import io.anomalog.stream.bench.StreamBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** {@code anomalog bench console}: the console's API latency while the detector runs at its benchmark throughput. */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Runs the streaming benchmark (bench stream) with the web console of its cluster beside the "
                + "measured pass, sends API requests as open pages do and times them, and times each new anomaly from "
                + "its session's close to its arrival on the console's event stream; writes docs/results/console.md.")
final class BenchConsoleCommand implements Callable<Integer> {

    @Option(names = "--sessions", defaultValue = "50000", description = "Sessions of the measured pass (default: ${DEFAULT-VALUE}).")
    long sessions;

    @Option(names = "--warmup", defaultValue = "100000", description = "Sessions shipped and scored first, not measured (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--requests-per-second", defaultValue = "20",
            description = "API requests sent per second, spread over the list, one anomaly, the metrics and the chart "
                    + "(default: ${DEFAULT-VALUE}; one open page sends about one every 2 s).")
    double rate;

    @Option(names = "--method", description = "Detector to train (default: deeplog, or ngram in a build without deeplog).")
    String method;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Detector hyper-parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = {"-o", "--out"}, defaultValue = "docs/results/console.md", description = "Report file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!(rate > 0 && rate <= 1000)) {
            throw new io.anomalog.core.util.AnomalogException("--requests-per-second must be above 0 and at most 1000");
        }
        StreamBenchmark.Settings s = new StreamBenchmark.Settings();
        s.sessions = sessions;
        s.warmupSessions = warmup;
        s.method = method != null ? method : DemoCommand.DemoDefaults.method();
        s.params = new java.util.HashMap<>(DemoCommand.DemoDefaults.params(s.method));
        s.params.putAll(Params.parse(params));
        AtomicReference<ConsoleLoad> load = new AtomicReference<>();
        s.duringMeasuredPass = (kafka, metrics) -> {
            ConsoleLoad l = new ConsoleLoad(kafka, metrics, "anomalog-bench", rate);
            load.set(l);
            return l;
        };
        double load0 = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        StreamBenchmark.Result r = new StreamBenchmark(s, System.err).run();
        ConsoleLoad.Result c = load.get().result();
        StringBuilder cmd = new StringBuilder("anomalog bench console");
        if (sessions != 50000) {
            cmd.append(" --sessions ").append(sessions);
        }
        if (warmup != 100000) {
            cmd.append(" --warmup ").append(warmup);
        }
        if (rate != 20) {
            cmd.append(" --requests-per-second ").append(fmt(rate));
        }
        if (!out.equals(Path.of("docs/results/console.md"))) {
            cmd.append(" --out ").append(out);
        }
        Path report = out.isAbsolute() ? out : Path.of(System.getProperty("anomalog.repo", ".")).resolve(out);
        StringBuilder md = new StringBuilder();
        md.append("# Console latency while the detector runs\n\n");
        md.append(String.format(Locale.ROOT, "Produced by `%s` on %s, host `%s` (%d CPU cores seen by the JVM; system "
                        + "load average %.1f before the run and %.1f at its end: a load above the core count means "
                        + "other work competed for the CPU).%n%n", cmd, java.time.LocalDate.now(), hostName(),
                Runtime.getRuntime().availableProcessors(), load0, r.loadAverage()));
        md.append(String.format(Locale.ROOT, "The detector ran the streaming benchmark's measured pass (`anomalog bench "
                        + "stream`'s path: %d simulated HDFS hosts -> shippers -> embedded Kafka -> detector, %s) at "
                        + "**%,.0f lines/s** (%,d lines, %,d anomaly records) after a warm-up of %,d lines. Beside it, "
                        + "the web console of the same cluster (history read from the topics, as `stream` serves it) "
                        + "answered %.1f API requests per second over a history of %,d anomalies at the end, and one page held "
                        + "the event stream open.%n%n",
                s.hosts, s.method, r.linesPerSecond(), r.lines(), r.anomalies(), r.warmupLines(), c.requestsPerSecond(),
                c.history()));
        md.append("| request | answered | failed | p50 ms | p99 ms | max ms | console's own p99 ms | target |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (ConsoleLoad.Latency l : c.requests()) {
            md.append(row(l, ""));
        }
        md.append(row(c.all(), "p99 <= 100 ms"));
        md.append(row(c.pushed(), "<= 3,000 ms"));
        md.append("\nThe last row is the time from the `closedAt` of each anomaly record (when the detector closed the "
                + "session) to its arrival at a page on `/api/events`: scoring, the anomalies topic, the console's "
                + "reader and its push together. The console's own time is what it reports in each answer's "
                + "`Server-Timing` header: from the request reaching its handlers to the body serialised, without "
                + "the wait for a thread or a CPU before and the network after.\n");
        ConsoleLoad.Pauses gc = c.gc();
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> jvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(x -> x.startsWith("-X")).toList();
        md.append(String.format(Locale.ROOT, "%nWhile the requests ran, the collectors of the JVM (detector and console "
                        + "together; %s; options %s) reported %,d collections, their durations %,.0f ms in all, the "
                        + "longest %,.0f ms, %,d of them over 50 ms; the highest system load average seen was %.1f on %d "
                        + "cores.%n",
                gcNames(), jvm.isEmpty() ? "none" : "`" + String.join(" ", jvm) + "`", gc.count(), gc.totalMs(),
                gc.maxMs(), gc.over50(), c.maxLoad(), cores));
        md.append(verdict(c, gc, cores));
        AtomicFiles.write(report, md.toString().getBytes(StandardCharsets.UTF_8));
        System.out.printf(Locale.ROOT, "detector %,.0f lines/s; API p99 %.1f ms over %,d requests; anomaly close -> "
                        + "page p99 %.0f ms (%,d); report %s%n", r.linesPerSecond(), c.all().p99(), c.all().count(),
                c.pushed().p99(), c.pushed().count(), report);
        return 0;
    }

    private static String row(ConsoleLoad.Latency l, String target) {
        return String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %s | %s | %s | %s |%n", l.what(), l.count(),
                l.failed(), fmt(l.p50()), fmt(l.p99()), fmt(l.max()), fmt(l.serverP99()), target);
    }

    private static String gcNames() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).collect(java.util.stream.Collectors.joining(", "));
    }

    /** Whether the target held and, when it did not, where the figures put the time. */
    static String verdict(ConsoleLoad.Result c, ConsoleLoad.Pauses gc, int cores) {
        double p99 = c.all().p99();
        if (!(p99 > 100)) {
            return String.format(Locale.ROOT, "%nThe target held: p99 %s ms over every request.%n", fmt(p99));
        }
        StringBuilder why = new StringBuilder(String.format(Locale.ROOT, "%nThe target was missed: p99 %s ms over "
                + "every request", fmt(p99)));
        double own = c.all().serverP99();
        if (!Double.isNaN(own) && own <= p99 / 2) {
            why.append(String.format(Locale.ROOT, ", of which the console's own handling accounts for at most %s ms "
                    + "at p99; the rest was spent before a handler ran or after it finished, waiting for a thread",
                    fmt(own)));
            List<String> causes = new ArrayList<>();
            if (c.maxLoad() > cores) {
                causes.add(String.format(Locale.ROOT, "a CPU (load average up to %.1f on %d cores)", c.maxLoad(), cores));
            }
            if (gc.over50() > 0) {
                causes.add(String.format(Locale.ROOT, "the collector (%,d collections over 50 ms, the longest %,.0f ms)",
                        gc.over50(), gc.maxMs()));
            }
            if (causes.isEmpty()) {
                causes.add("a CPU the detector's threads held");
            }
            why.append(" or for ").append(String.join(" and ", causes));
        } else if (!Double.isNaN(own)) {
            why.append(String.format(Locale.ROOT, ", and the console's own handling took %s ms at p99: the requests "
                    + "themselves are too slow", fmt(own)));
        }
        return why.append(".\n").toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }
}
