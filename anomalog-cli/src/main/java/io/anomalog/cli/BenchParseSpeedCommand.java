package io.anomalog.cli;

import io.anomalog.bench.parse.ParseSpeedBenchmark;
import io.anomalog.bench.parse.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code anomalog bench parse-speed}: lines/s of the whole parsing path, one thread and all cores. */
@Command(name = "parse-speed", mixinStandardHelpOptions = true,
        description = "Parser throughput on repeated HDFS lines; writes docs/results/parse-speed.md.")
final class BenchParseSpeedCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "../shared/datasets", paramLabel = "DIR", description = "Datasets folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--lines", defaultValue = "1000000", description = "Input lines (default: ${DEFAULT-VALUE}).")
    long lines;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the parallel run (default: all processors).")
    Integer threads;

    @Option(names = "--repeat", defaultValue = "3", description = "Measured runs per thread count; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--warmups", defaultValue = "2", description = "Unmeasured warm-up runs (default: ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--report", defaultValue = "docs/results/parse-speed.md", paramLabel = "FILE", description = "Markdown report (default: ${DEFAULT-VALUE}).")
    Path report;

    private ParseSpeedBenchmark.Run median(ParseSpeedBenchmark bench, Path file, int threads) throws Exception {
        List<ParseSpeedBenchmark.Run> runs = new ArrayList<>();
        for (int i = 0; i < Math.max(1, repeat); i++) {
            runs.add(bench.run(file, threads));
        }
        runs.sort(java.util.Comparator.comparingDouble(ParseSpeedBenchmark.Run::linesPerSecond));
        return runs.get(runs.size() / 2);
    }

    @Override
    public Integer call() throws Exception {
        Path source = data.resolve("hdfs/raw/HDFS_20000.log");
        ParseSpeedBenchmark bench = new ParseSpeedBenchmark(source, lines);
        int cores = Runtime.getRuntime().availableProcessors();
        int parallel = threads == null ? cores : threads;
        Path file = bench.prepare();
        try {
            for (int i = 0; i < warmups; i++) {
                bench.run(file, 1);     // warm-up: JIT compilation
            }
            List<ParseSpeedBenchmark.Run> runs = new ArrayList<>();
            runs.add(median(bench, file, 1));
            if (parallel > 1) {
                runs.add(median(bench, file, parallel));
            }
            for (var r : runs) {
                System.out.printf("%d thread(s): %,d lines in %.2f s = %,.0f lines/s; %,.0f lines per CPU second"
                        + " (%d templates)%n", r.threads(), r.lines(), r.seconds(), r.linesPerSecond(),
                        r.linesPerCpuSecond(), r.templates());
            }
            long peak = ParseSpeedBenchmark.peakHeapBytes();
            System.out.printf("peak heap: %,.0f MiB%n", peak / 1048576.0);
            StringBuilder cmd = new StringBuilder("./anomalog bench parse-speed --lines " + lines);
            if (threads != null) {
                cmd.append(" --threads ").append(threads);
            }
            Reports.writeSpeed(report, cmd.toString(), "HDFS_20000.log repeated to " + String.format("%,d", lines)
                    + " lines; " + warmups + " warm-up runs, then the median of " + repeat + " runs per thread count",
                    cores, runs, peak);
            System.err.println("wrote " + report);
        } finally {
            Files.deleteIfExists(file);
        }
        return 0;
    }
}
