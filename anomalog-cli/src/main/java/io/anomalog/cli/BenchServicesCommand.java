package io.anomalog.cli;

import io.anomalog.bench.protocol.ServicesProtocol;
import io.anomalog.bench.services.ServicesReport;
import io.anomalog.core.detect.Params;
import io.anomalog.core.util.Durations;
import io.anomalog.core.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code anomalog bench services}: simulates the multi-service JSON logs (timed), runs the reconstruction detector
 * and the baselines on protocol {@code services} and writes {@code docs/results/services.md} and its charts.
 */
@Command(name = "services", mixinStandardHelpOptions = true,
        description = "Multi-service study: simulates JSON logs (anomalog simulate services), cuts them into "
                + "windows per service and host, runs reconstruction, zscore, moving-average, svm-rbf, tree and "
                + "iforest on the same windows (chronological 70/15/15) and writes docs/results/services.md with "
                + "its charts in docs/results/services/.")
final class BenchServicesCommand implements Callable<Integer> {

    static final Path DEFAULT_OUT = Path.of("docs/results/services.md");

    @Option(names = "--entries", defaultValue = "1000000", description = "Entries to simulate (default: ${DEFAULT-VALUE}).")
    long entries;

    @Option(names = "--days", defaultValue = "7", description = "Days they span (default: ${DEFAULT-VALUE}).")
    double days;

    @Option(names = "--anomalies-per-day", defaultValue = "16",
            description = "Anomalies injected per day (default: ${DEFAULT-VALUE}, so that the test span holds every kind).")
    double anomaliesPerDay;

    @Option(names = "--seed", defaultValue = "42", description = "Simulation seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--window", defaultValue = "1m", description = "Window width: 60s, 5m, PT5M (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--history", defaultValue = "" + ServicesProtocol.DEFAULT_HISTORY,
            description = "Windows per judged sequence (default: ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--methods", split = ",", paramLabel = "M,...", description = "Methods (default ${DEFAULT-VALUE}).",
            defaultValue = "reconstruction,zscore,moving-average,svm-rbf,tree,iforest")
    List<String> methods;

    @Option(names = {"-p", "--param"}, paramLabel = "METHOD.NAME=VALUE",
            description = "Hyper-parameter of one method (repeatable), e.g. reconstruction.k=4.")
    List<String> params = new ArrayList<>();

    @Option(names = "--sim-dir", paramLabel = "DIR",
            description = "Folder for the simulated logs (default: a temporary folder, removed afterwards).")
    Path simDir;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Report file (default ${DEFAULT-VALUE}).",
            defaultValue = "docs/results/services.md")
    Path out;

    @Override
    public Integer call() throws Exception {
        Duration width = Durations.positive(window, "--window");
        ServicesReport report = new ServicesReport(new ServicesReport.Settings(entries, days, anomaliesPerDay, seed,
                width, history), ProgressBar.forTerminal(), System.err::println);
        Path dir = simDir != null ? simDir : Files.createTempDirectory("anomalog-services");
        try {
            System.out.print(report.write(methods, Params.parseByMethod(params), dir, out, command()));
        } finally {
            if (simDir == null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        System.err.println("report written to " + out);
        return 0;
    }

    /** The exact command: every option that differs from its default. */
    private String command() {
        StringBuilder sb = new StringBuilder("anomalog bench services");
        if (entries != 1_000_000) {
            sb.append(" --entries ").append(entries);
        }
        if (days != 7) {
            sb.append(" --days ").append(days);
        }
        if (anomaliesPerDay != 16) {
            sb.append(" --anomalies-per-day ").append(anomaliesPerDay);
        }
        if (seed != 42) {
            sb.append(" --seed ").append(seed);
        }
        if (!window.equals("1m")) {
            sb.append(" --window ").append(window);
        }
        if (history != ServicesProtocol.DEFAULT_HISTORY) {
            sb.append(" --history ").append(history);
        }
        if (!methods.equals(ServicesReport.DEFAULT_METHODS)) {
            sb.append(" --methods ").append(String.join(",", methods));
        }
        params.forEach(p -> sb.append(" -p ").append(p));
        if (!out.equals(DEFAULT_OUT)) {
            sb.append(" -o ").append(out);
        }
        return sb.toString();
    }
}
