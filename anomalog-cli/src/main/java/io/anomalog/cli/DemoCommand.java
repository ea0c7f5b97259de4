package io.anomalog.cli;

import io.anomalog.core.detect.Params;
import io.anomalog.core.util.ProgressBar;
import io.anomalog.stream.demo.Demo;
import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.SessionIdRule;
import io.anomalog.core.util.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code anomalog demo}: the whole pipeline live on this machine, nothing to install. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Live demo: embedded Kafka, three simulated HDFS hosts writing logs, shippers, the streaming "
                + "detector; prints each anomaly with its explanation and running precision/recall. Halfway, a normal "
                + "workflow changes (an upgrade); a simulated operator marks the first false alarms and the model "
                + "learns them online. Ctrl-C stops.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "60s", paramLabel = "DURATION",
            description = "How long the hosts write (e.g. 2m, 90s or PT2M; default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--rate", defaultValue = "300", description = "Lines per second per host (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--hosts", defaultValue = "3", description = "Simulated hosts (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--anomaly-rate", defaultValue = "0.05", description = "Share of anomalous sessions (default: ${DEFAULT-VALUE}).")
    double anomalyRate;

    @Mixin
    FormatOptions format;

    @Mixin
    GroupingOptions grouping;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model directory: loaded when it holds a model, else the trained model is saved there.")
    Path model;

    @Option(names = "--method", description = "Detector to train (default: deeplog, or ngram in a build without deeplog).")
    String method;

    @Option(names = "--training-sessions", defaultValue = "1500", description = "Normal sessions to train on (default: ${DEFAULT-VALUE}).")
    int trainingSessions;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Detector hyper-parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where logs, registries and state go (default: a temporary folder).")
    Path workDir;

    @Option(names = "--metrics-port", defaultValue = "-1", description = "Serve Prometheus metrics on 127.0.0.1:PORT (default: off).")
    int metricsPort;

    @Option(names = "--seed", defaultValue = "7", description = "Random seed of the simulation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quiet", description = "Print only the summary.")
    boolean quiet;

    @Option(names = "--no-upgrade", description = "Keep the normal workflow unchanged (by default it changes halfway, "
            + "as after an upgrade, and the model learns the change from feedback).")
    boolean noUpgrade;

    @Option(names = "--operator-marks", defaultValue = "3", paramLabel = "N",
            description = "False alarms after the upgrade the simulated operator marks (and true anomalies it "
                    + "confirms); 0 leaves it to you: anomalog feedback --bootstrap-servers ... (default: ${DEFAULT-VALUE}).")
    int operatorMarks;

    @Option(names = "--no-online-update", description = "Do not learn from feedback while running.")
    boolean noOnlineUpdate;

    @picocli.CommandLine.Mixin
    HttpOptions http;

    @Override
    public Integer call() throws Exception {
        Demo.Settings s = new Demo.Settings();
        s.duration = Durations.positive(duration, "--duration");
        s.linesPerSecondPerHost = rate;
        s.hosts = hosts;
        s.anomalyRate = anomalyRate;
        // the simulated hosts write HDFS lines: sessions by block id with a short gap, unless told otherwise
        s.grouping = grouping.spec(GroupingSpec.Sessions.byPattern(SessionIdRule.HDFS_BLOCK)
                .withGap(java.time.Duration.ofSeconds(3)), "the demo");
        s.format = format.spec(FormatSpec.preset("hdfs"));
        s.policy = format.policy();
        s.model = model;
        s.method = method != null ? method : DemoCommand.DemoDefaults.method();
        method = s.method;
        s.trainingSessions = trainingSessions;
        s.params = new java.util.HashMap<>(DemoDefaults.params(method));
        s.params.putAll(Params.parse(params));
        s.workDir = workDir;
        s.metricsPort = metricsPort;
        s.seed = seed;
        s.quiet = quiet;
        s.upgrade = !noUpgrade;
        if (operatorMarks < 0) {
            throw new io.anomalog.core.util.AnomalogException("--operator-marks must be 0 or more, not " + operatorMarks);
        }
        s.operatorMarks = operatorMarks;
        s.onlineUpdate = !noOnlineUpdate;
        s.console = http.demoStarter();
        Demo demo = new Demo(s, System.out, ProgressBar.forTerminal());
        Thread hook = new Thread(() -> {
            demo.requestStop();
            try {
                demo.awaitFinished(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            demo.run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down (Ctrl-C): the hook is running and waits for the summary above
            }
        }
        return 0;
    }

    /** Quick-training settings, so the demo trains in well under a minute. */
    static final class DemoDefaults {
        static String method() {
            return io.anomalog.core.detect.Detectors.all().containsKey("deeplog") ? "deeplog" : "ngram";
        }

        static java.util.Map<String, String> params(String method) {
            // the demo's simulated clock has no service times (see simulate hdfs --delay-rate), so the parameter
            // models would learn nothing from its times: the key model and its workflows only
            return method.equals("deeplog") ? java.util.Map.of("epochs", "8", "hidden", "32", "parameters", "false")
                    : java.util.Map.of();
        }
    }
}
