package io.anomalog.cli;

import io.anomalog.bench.online.OnlineReport;
import io.anomalog.bench.online.OnlineScenario;
import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Params;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code anomalog bench online}: false positives and recall over time with and without online update. */
@Command(name = "online", mixinStandardHelpOptions = true,
        description = "Replays labelled streams (drift: bundled HDFS sessions with an upgrade halfway; bgl: BGL "
                + "windows) through DeepLog with and without learning from false-positive feedback; writes "
                + "docs/results/online.md and its charts.")
final class BenchOnlineCommand implements Callable<Integer> {

    @Option(names = "--scenario", paramLabel = "NAME", description = "Scenario(s): drift (bundled data), bgl (public datasets; long) (default: drift).")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR", defaultValue = DataDir.DEFAULT,
            description = "Public datasets folder, for bgl (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--feedback-delay", defaultValue = "1", paramLabel = "STEPS",
            description = "Steps between a false alarm and its feedback (default: ${DEFAULT-VALUE}).")
    int delay;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "DeepLog hyper-parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the stream order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "docs/results/online.md",
            description = "Markdown report to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (delay < 1) {
            throw new AnomalogException("--feedback-delay must be 1 step or more, not " + delay);
        }
        List<String> names = scenarios.isEmpty() ? List.of("drift") : scenarios;
        for (String n : names) {
            if (!OnlineScenario.NAMES.contains(n)) {
                throw new AnomalogException("unknown scenario '" + n + "'; known: " + OnlineScenario.NAMES);
            }
        }
        StringBuilder cmd = new StringBuilder("anomalog bench online");
        scenarios.forEach(s -> cmd.append(" --scenario ").append(s));
        if (delay != 1) {
            cmd.append(" --feedback-delay ").append(delay);
        }
        params.forEach(p -> cmd.append(" -p ").append(p));
        if (seed != 42) {
            cmd.append(" --seed ").append(seed);
        }
        if (!out.equals(Path.of("docs/results/online.md"))) {
            cmd.append(" -o ").append(out);
        }
        Path repo = Path.of(System.getProperty("anomalog.repo", "."));
        new OnlineReport(DataDir.of(data), repo, seed, Params.parse(params), delay, ProgressBar.forTerminal(),
                System.err::println).write(names, out, cmd.toString());
        System.err.println("anomalog: wrote " + out);
        return 0;
    }
}
