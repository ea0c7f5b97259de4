package io.anomalog.cli;

import io.anomalog.bench.deeplog.WorkflowRecoveryBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code anomalog bench workflows}: protocol workflow-recovery, edge precision and recall of the built workflows. */
@Command(name = "workflows", mixinStandardHelpOptions = true,
        description = "Protocol workflow-recovery: sessions interleaving tasks of known automata; edge precision and "
                + "recall of the workflows co-occurrence clustering builds; writes docs/results/workflow-recovery.md "
                + "and its pictures.")
final class BenchWorkflowsCommand implements Callable<Integer> {

    @Option(names = "--sessions", defaultValue = "1000", description = "Sessions (default: ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--eps", defaultValue = "0.3", description = "DBSCAN distance bound (default: ${DEFAULT-VALUE}).")
    double eps;

    @Option(names = "--min-pts", defaultValue = "2", description = "DBSCAN core size (default: ${DEFAULT-VALUE}).")
    int minPts;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "docs/results/workflow-recovery.md",
            description = "Markdown report to write; pictures go to the folder named like it (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        StringBuilder command = new StringBuilder("anomalog bench workflows");
        if (sessions != 1000) {
            command.append(" --sessions ").append(sessions);
        }
        if (seed != 42) {
            command.append(" --seed ").append(seed);
        }
        if (eps != 0.3) {
            command.append(" --eps ").append(eps);
        }
        if (minPts != 2) {
            command.append(" --min-pts ").append(minPts);
        }
        if (!out.toString().equals("docs/results/workflow-recovery.md")) {
            command.append(" -o ").append(out);
        }
        System.err.print(WorkflowRecoveryBenchmark.write(sessions, seed, eps, minPts, command.toString(), out));
        System.err.println("anomalog: wrote " + out);
        return 0;
    }
}
