package io.anomalog.cli;

import io.anomalog.bench.failover.FailoverBenchmark;
import io.anomalog.bench.failover.FailoverReport;
import io.anomalog.core.detect.Params;
import io.anomalog.core.util.AnomalogException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code anomalog bench failover}: the stream's added latency when the leader of a host's partition fails. */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Runs hosts, shippers and the detector against a three-node KRaft cluster in this JVM "
                + "(3 replicas, min.insync.replicas=2), stops the leader of a logs.<host> partition midway, and "
                + "measures each line's latency from its write to its parsed event, before and after the kill, "
                + "and counts every line by file and offset; writes docs/results/failover.md.")
final class BenchFailoverCommand implements Callable<Integer> {

    @Option(names = "--rate", defaultValue = "1500", description = "Lines per second written by all hosts together (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "90s", description = "How long the hosts write, and longer by what the kill waited (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--kill-at", defaultValue = "45s", description = "When the leader is stopped, from the start of writing, at the earliest: the kill waits (at most 2 minutes more) until the detector has kept up for the whole baseline (default: ${DEFAULT-VALUE}).")
    Duration killAt;

    @Option(names = "--baseline-from", defaultValue = "25s", description = "The baseline lasts from here to --kill-at, and ends at the kill when the kill waited (default: ${DEFAULT-VALUE}).")
    Duration baselineFrom;

    @Option(names = "--broker-session-timeout", paramLabel = "DURATION",
            description = "The brokers' broker.session.timeout.ms, e.g. 9s for Kafka's default (default: 6 s, as anomalog's own clusters use); heartbeats at a quarter of it, at most 2 s apart.")
    Duration brokerSessionTimeout;

    @Option(names = "--stop-controller", description = "Stop the broker that is the active controller and leads a host's partition (the worst case: a new controller is elected first; when the controller leads none, it is first made the leader of the first host's partition), instead of the leader of the first host's partition.")
    boolean stopController;

    @Option(names = "--hosts", defaultValue = "3", description = "Hosts (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--method", defaultValue = "ngram", description = "Detector to train (default: ${DEFAULT-VALUE}, cheap: the figure is about Kafka).")
    String method;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Detector hyper-parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = {"-o", "--out"}, defaultValue = "docs/results/failover.md", description = "Report file (default: ${DEFAULT-VALUE}); the chart goes into the folder named like it.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (rate <= 0 || hosts < 1) {
            throw new AnomalogException("--rate must be positive and --hosts at least 1");
        }
        if (!(baselineFrom.compareTo(killAt) < 0 && killAt.compareTo(duration) < 0) || baselineFrom.isNegative()) {
            throw new AnomalogException("need 0 <= --baseline-from < --kill-at < --duration");
        }
        FailoverBenchmark.Settings s = new FailoverBenchmark.Settings();
        s.linesPerSecond = rate;
        s.duration = duration;
        s.killAt = killAt;
        s.baselineFrom = baselineFrom;
        s.hosts = hosts;
        s.method = method;
        if (brokerSessionTimeout != null) {
            if (brokerSessionTimeout.toMillis() < 1000) {
                throw new AnomalogException("--broker-session-timeout must be at least 1s, got " + brokerSessionTimeout);
            }
            s.brokerSessionTimeout = brokerSessionTimeout;
        }
        s.stopController = stopController;
        s.params = new java.util.HashMap<>(Params.parse(params));
        FailoverBenchmark.Result r = new FailoverBenchmark(s, System.err).run();
        Path report = out.isAbsolute() ? out : Path.of(System.getProperty("anomalog.repo", ".")).resolve(out);
        StringBuilder cmd = new StringBuilder("anomalog bench failover");
        if (rate != 1500) {
            cmd.append(" --rate ").append(rate);
        }
        if (!duration.equals(Duration.ofSeconds(90))) {
            cmd.append(" --duration ").append(duration.toSeconds()).append('s');
        }
        if (!killAt.equals(Duration.ofSeconds(45))) {
            cmd.append(" --kill-at ").append(killAt.toSeconds()).append('s');
        }
        if (!baselineFrom.equals(Duration.ofSeconds(25))) {
            cmd.append(" --baseline-from ").append(baselineFrom.toSeconds()).append('s');
        }
        if (hosts != 3) {
            cmd.append(" --hosts ").append(hosts);
        }
        if (!method.equals("ngram")) {
            cmd.append(" --method ").append(method);
        }
        if (brokerSessionTimeout != null) {
            cmd.append(" --broker-session-timeout ").append(brokerSessionTimeout.toMillis() / 1000.0).append('s');
        }
        if (stopController) {
            cmd.append(" --stop-controller");
        }
        params.forEach(p -> cmd.append(" -p ").append(p));
        if (!out.equals(Path.of("docs/results/failover.md"))) {
            cmd.append(" --out ").append(out);
        }
        FailoverReport.write(report, r, s, cmd.toString());
        var f = r.figures();
        System.out.printf(Locale.ROOT, "baseline p50 %.0f ms, p99 %.0f ms; after the kill p99 %.0f ms, max %.0f ms; "
                        + "added %.1f s (target <= 10 s: %s); lost %d, repeated %d/%d; load %.1f -> %.1f; report %s%n",
                f.baselineP50(), f.baselineP99(), f.afterP99(), f.afterMax(), f.addedMillis() / 1000.0,
                FailoverReport.met(r) ? "met" : "not met", r.lost(), r.shippedRepeated(), r.parsedRepeated(),
                r.loadBefore(), r.loadAfter(), report);
        return 0;
    }
}
