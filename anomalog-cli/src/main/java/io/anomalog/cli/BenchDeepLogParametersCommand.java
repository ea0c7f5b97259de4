package io.anomalog.cli;

import io.anomalog.bench.deeplog.PerformanceAnomalyBenchmark;
import io.anomalog.core.detect.Params;
import io.anomalog.core.util.ProgressBar;
import io.anomalog.stream.simulate.HdfsSimulator;
import io.anomalog.stream.simulate.KeySessions;
import io.anomalog.stream.simulate.SimulationWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code anomalog bench deeplog-parameters}: protocol {@code hdfs-performance}. Simulates one HDFS datanode with
 * labelled performance anomalies, trains DeepLog with its parameter models on half the normal sessions and reports
 * recall per anomaly kind and the false-positive rate, key model alone against key plus parameter models.
 */
@Command(name = "deeplog-parameters", mixinStandardHelpOptions = true,
        description = "Protocol hdfs-performance: DeepLog key model alone vs key + parameter models on simulated HDFS "
                + "performance anomalies; writes docs/results/deeplog-parameters.md.")
final class BenchDeepLogParametersCommand implements Callable<Integer> {

    @Option(names = "--sessions", defaultValue = "6000", description = "Simulated sessions (default: ${DEFAULT-VALUE}).")
    long sessions;

    @Option(names = "--anomaly-rate", defaultValue = "0.02", description = "Share of anomalous key sequences (default: ${DEFAULT-VALUE}).")
    double anomalyRate;

    @Option(names = "--delay-rate", defaultValue = "0.02", description = "Share of delayed sessions (default: ${DEFAULT-VALUE}).")
    double delayRate;

    @Option(names = "--size-rate", defaultValue = "0.02", description = "Share of sessions with an abnormal size (default: ${DEFAULT-VALUE}).")
    double sizeRate;

    @Option(names = "--stretch-rate", defaultValue = "0.02", description = "Share of stretched pipelines (default: ${DEFAULT-VALUE}).")
    double stretchRate;

    @Option(names = "--seed", defaultValue = "42", description = "Simulation and split seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "DeepLog hyper-parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "docs/results/deeplog-parameters.md",
            description = "Markdown report to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("anomalog-hdfs-performance");
        try {
            HdfsSimulator sim = HdfsSimulator.builder(KeySessions.bundled()).hosts(1).sessions(sessions)
                    .anomalyRate(anomalyRate).performanceAnomalies(delayRate, sizeRate, stretchRate).seed(seed)
                    .build();
            SimulationWriter.write(sim, dir);
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("hosts", 1);
            settings.put("sessions", sessions);
            settings.put("anomaly-rate", anomalyRate);
            settings.put("delay-rate", delayRate);
            settings.put("size-rate", sizeRate);
            settings.put("stretch-rate", stretchRate);
            settings.put("seed", seed);
            StringBuilder command = new StringBuilder("anomalog bench deeplog-parameters");
            if (sessions != 6000 || anomalyRate != 0.02 || delayRate != 0.02 || sizeRate != 0.02 || stretchRate != 0.02
                    || seed != 42) {
                settings.forEach((k, v) -> {
                    if (!k.equals("hosts")) {
                        command.append(" --").append(k).append(' ').append(v);
                    }
                });
            }
            params.forEach(p -> command.append(" -p ").append(p));
            if (!out.toString().equals("docs/results/deeplog-parameters.md")) {
                command.append(" -o ").append(out);
            }
            System.err.print(PerformanceAnomalyBenchmark.write(dir, command.toString(), settings,
                    Params.parse(params), seed, out, ProgressBar.forTerminal()));
            System.err.println("anomalog: wrote " + out);
            return 0;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
