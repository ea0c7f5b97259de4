package io.anomalog.cli;

import io.anomalog.bench.parse.ParseSpeedBenchmark;
import io.anomalog.bench.parse.ProcessMeasure;
import io.anomalog.bench.parse.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code anomalog bench parse-speed}: lines/s of the whole parsing path in memory, one thread and all cores; then
 * the whole {@code parse} command as its own process (and Drain3 beside it when installed).
 */
@Command(name = "parse-speed", mixinStandardHelpOptions = true,
        description = "Parser throughput on repeated HDFS lines, in memory and as the whole parse command (with Drain3 beside it when python3 has it); writes docs/results/parse-speed.md.")
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

    @Option(names = "--command-lines", defaultValue = "1000000,5000000", split = ",", paramLabel = "N[,N...]", description = "Input sizes for the whole-command runs (anomalog parse as its own process, and Drain3 when python3 has it); 0 skips them (default: ${DEFAULT-VALUE}).")
    List<Long> commandLines;

    @Option(names = "--command-repeat", defaultValue = "3", paramLabel = "N", description = "Runs of each whole command per input size; the run of median wall time is reported (default: ${DEFAULT-VALUE}).")
    int commandRepeat;

    private ParseSpeedBenchmark.Run median(ParseSpeedBenchmark bench, Path file, int threads) throws Exception {
        List<ParseSpeedBenchmark.Run> runs = new ArrayList<>();
        for (int i = 0; i < Math.max(1, repeat); i++) {
            runs.add(bench.run(file, threads));
        }
        runs.sort(java.util.Comparator.comparingDouble(ParseSpeedBenchmark.Run::linesPerSecond));
        return runs.get(runs.size() / 2);
    }

    /**
     * The whole command as a user runs it, as its own process from start to exit: {@code anomalog parse --format
     * hdfs} writing its structured CSV with parameters (started as {@link #parseCommand} says), the same writing
     * through the page cache ({@code --no-direct-output}), then Drain3 doing the same when python3 can import it.
     */
    private List<Reports.CommandRun> wholeCommands() throws Exception {
        Path source = data.resolve("hdfs/raw/HDFS_20000.log");
        List<Reports.CommandRun> runs = new ArrayList<>();
        boolean drain3 = ProcessMeasure.drain3Available();
        for (long size : commandLines) {
            if (size <= 0) {
                continue;
            }
            Path input = new ParseSpeedBenchmark(source, size).prepare();
            Path out = Files.createTempDirectory("anomalog-speed-out");
            try {
                long n = countLines(input);
                Path outputs = out.resolve("outputs");
                List<String> parse = parseCommand();
                parse.addAll(List.of("--format", "hdfs", "--input", input.toString(), "--out",
                        outputs.resolve("anomalog").toString()));
                runs.add(measure("anomalog parse --format hdfs", n, parse, outputs));
                // the same through the page cache, so the report shows what writing past it saves
                List<String> cached = new ArrayList<>(parse);
                cached.add("--no-direct-output");
                runs.add(measure("anomalog parse --format hdfs --no-direct-output", n, cached, outputs));
                if (drain3) {
                    Path script = out.resolve("drain3_parse.py");
                    Files.writeString(script, ProcessMeasure.drain3Script());
                    runs.add(measure("Drain3 (python3, default TemplateMiner)", n, List.of("python3", script.toString(),
                            input.toString(), outputs.resolve("drain3_structured.csv").toString()), outputs));
                } else {
                    runs.add(new Reports.CommandRun("Drain3: not measured (python3 cannot import drain3; pip install drain3)",
                            n, null, List.of()));
                }
            } finally {
                Files.deleteIfExists(input);
                io.anomalog.core.io.Folders.deleteTree(out);
            }
        }
        return runs;
    }

    /**
     * How {@code anomalog parse} is started: through the repository's launcher when this process was started by it
     * (so with the JVM options the launcher gives parse, as a user gets them), otherwise with this process's Java and
     * JVM options.
     */
    private static List<String> parseCommand() {
        Path launcher = launcher();
        List<String> parse = new ArrayList<>();
        if (launcher != null) {
            parse.add(launcher.toString());
        } else {
            parse.add(ProcessHandle.current().info().command().orElse("java"));
            parse.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
            parse.addAll(List.of("-cp", System.getProperty("java.class.path"), AnomalogCli.class.getName()));
        }
        parse.add("parse");
        return parse;
    }

    /** The {@code anomalog} launcher of the repository this process was started from, or null. */
    private static Path launcher() {
        String repo = System.getProperty("anomalog.repo");
        if (repo == null) {
            return null;
        }
        Path script = Path.of(repo).resolve("anomalog");
        return Files.isExecutable(script) ? script : null;
    }

    /**
     * Runs {@code command} {@code --command-repeat} times, each into an empty {@code outputs} folder: a run that
     * replaced the output of the one before would also pay for freeing the old file (its cached pages), which the
     * first run does not.
     */
    private Reports.CommandRun measure(String name, long lines, List<String> command, Path outputs) throws Exception {
        List<ProcessMeasure.Measurement> runs = new ArrayList<>();
        for (int i = 0; i < Math.max(1, commandRepeat); i++) {
            io.anomalog.core.io.Folders.deleteTree(outputs);
            Files.createDirectories(outputs);
            System.err.println("measuring " + name + " on " + String.format("%,d", lines) + " lines (run " + (i + 1)
                    + " of " + Math.max(1, commandRepeat) + ") ...");
            ProcessMeasure.Measurement m = ProcessMeasure.run(command);
            if (m.exitCode() != 0) {
                throw new io.anomalog.core.util.AnomalogException(name + " exited with " + m.exitCode() + ": " + m.output());
            }
            System.out.printf("%s: %,d lines in %.2f s wall (%,.0f lines/s), %.2f s CPU, peak RSS %,.0f MiB%n", name,
                    lines, m.wallSeconds(), lines / m.wallSeconds(), m.cpuSeconds(), m.peakRssBytes() / 1048576.0);
            runs.add(m);
        }
        return Reports.CommandRun.median(name, lines, runs);
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long countLines(Path file) throws java.io.IOException {
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (var in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                    }
                }
            }
        }
        return n;
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
            double[] loads = new double[3];
            loads[0] = load();
            loads[1] = load();
            List<Reports.CommandRun> commands = wholeCommands();
            loads[2] = load();
            StringBuilder cmd = new StringBuilder("./anomalog bench parse-speed --lines " + lines);
            if (threads != null) {
                cmd.append(" --threads ").append(threads);
            }
            cmd.append(" --command-lines ").append(commandLines.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(",")));
            if (commandRepeat != 3) {
                cmd.append(" --command-repeat ").append(commandRepeat);
            }
            Reports.writeSpeed(report, cmd.toString(), "HDFS_20000.log repeated to " + String.format("%,d", lines)
                    + " lines; " + warmups + " warm-up runs, then the median of " + repeat + " runs per thread count",
                    cores, runs, peak, commands, launcher() != null, loads);
            System.err.println("wrote " + report);
        } finally {
            Files.deleteIfExists(file);
        }
        return 0;
    }
}
