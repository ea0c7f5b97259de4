package io.anomalog.cli;

import io.anomalog.bench.deeplog.HadoopBenchmark;
import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Params;
import io.anomalog.core.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code anomalog bench deeplog-hadoop}: protocol {@code hadoop-containers}. DeepLog, key model alone against key
 * plus parameter models, on loghub's real Hadoop container logs, per failure kind.
 */
@Command(name = "deeplog-hadoop", mixinStandardHelpOptions = true,
        description = "Protocol hadoop-containers: DeepLog key model alone vs key + parameter models on the real "
                + "Hadoop container logs (hadoop/raw), per failure kind; writes docs/results/deeplog-hadoop.md.")
final class BenchDeepLogHadoopCommand implements Callable<Integer> {

    static final String DEFAULT_OUT = "docs/results/deeplog-hadoop.md";

    @Option(names = "--data", paramLabel = "DIR", defaultValue = DataDir.DEFAULT,
            description = "Public datasets folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--seed", defaultValue = "42", description = "Split and model seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "DeepLog hyper-parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = DEFAULT_OUT,
            description = "Markdown report to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        StringBuilder command = new StringBuilder("anomalog bench deeplog-hadoop");
        if (!data.toString().equals(DataDir.DEFAULT)) {
            command.append(" --data ").append(data);
        }
        if (seed != 42) {
            command.append(" --seed ").append(seed);
        }
        params.forEach(p -> command.append(" -p ").append(p));
        if (!out.toString().equals(DEFAULT_OUT)) {
            command.append(" -o ").append(out);
        }
        System.err.print(HadoopBenchmark.write(DataDir.of(data), command.toString(), Params.parse(params), seed, out,
                ProgressBar.forTerminal()));
        System.err.println("anomalog: wrote " + out);
        return 0;
    }
}
