package io.anomalog.cli;

import io.anomalog.bench.deeplog.DeepLogSpeedBenchmark;
import io.anomalog.core.data.DataDir;
import io.anomalog.core.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code anomalog bench deeplog-speed}: how long DeepLog takes to train on HDFS ({@code hdfs_train}) and how
 * many sessions per second it judges on a test mix the size of DeepLog's original HDFS test (16,838 anomalous +
 * 553,366 normal sessions; the normal ones cycle through the 7,000 public normal sessions). Writes
 * {@code docs/results/deeplog-speed.md}.
 */
@Command(name = "deeplog-speed", mixinStandardHelpOptions = true,
        description = "Times DeepLog training on hdfs_train and detection on a 570k-session HDFS mix; writes docs/results/deeplog-speed.md.")
final class BenchDeepLogSpeedCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = DataDir.DEFAULT,
            description = "Public datasets folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--sessions", defaultValue = "570204",
            description = "Sessions in the detection mix (default: ${DEFAULT-VALUE}, DeepLog's HDFS test size).")
    int sessions;

    @Option(names = "--batch", defaultValue = "10000",
            description = "Sessions handed to the detector per call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "docs/results/deeplog-speed.md",
            description = "Markdown report to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        System.err.print(DeepLogSpeedBenchmark.write(DataDir.of(data), sessions, batch, out, ProgressBar.forTerminal()));
        System.err.println("anomalog: wrote " + out);
        return 0;
    }
}
