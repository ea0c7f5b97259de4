package io.anomalog.bench.parse;

import io.anomalog.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the parser benchmark results as Markdown under docs/results. */
public final class Reports {

    private Reports() {
    }

    /** One table per ground truth; with baseline results, a column of plain Drain's GA. */
    public static String accuracyTable(List<ParseAccuracyBenchmark.Result> results,
                                       List<ParseAccuracyBenchmark.Result> baseline) {
        StringBuilder sb = new StringBuilder();
        for (ParseAccuracyBenchmark.Truth truth : ParseAccuracyBenchmark.Truth.values()) {
            List<ParseAccuracyBenchmark.Result> rs = results.stream().filter(r -> r.truth() == truth).toList();
            if (rs.isEmpty()) {
                continue;
            }
            boolean base = !baseline.isEmpty();
            sb.append("\n#### Ground truth: ").append(truth.folder()).append("\n\n");
            sb.append("| system | GA | FGA | PA | FTA | parameters | templates (predicted / true) | lines without a result |")
                    .append(base ? " GA plain Drain |" : "").append('\n');
            sb.append("|---|---|---|---|---|---|---|---|").append(base ? "---|" : "").append('\n');
            double[] sum = new double[5];
            double baseSum = 0;
            int baseN = 0;
            double minGa = 1;
            for (var r : rs) {
                var m = r.metrics();
                double[] v = {m.ga(), m.fga(), m.pa(), m.fta(), m.parameters()};
                for (int i = 0; i < v.length; i++) {
                    sum[i] += v[i];
                }
                minGa = Math.min(minGa, m.ga());
                sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %d / %d | %d |",
                        r.system(), m.ga(), m.fga(), m.pa(), m.fta(), m.parameters(), m.predictedGroups(),
                        m.trueGroups(), m.missing()));
                if (base) {
                    var b = baseline.stream().filter(x -> x.truth() == r.truth() && x.system().equals(r.system()))
                            .findFirst();
                    sb.append(b.map(x -> String.format(Locale.ROOT, " %.3f |", x.metrics().ga())).orElse(" |"));
                    if (b.isPresent()) {
                        baseSum += b.get().metrics().ga();
                        baseN++;
                    }
                }
                sb.append('\n');
            }
            int n = rs.size();
            sb.append(String.format(Locale.ROOT, "| **average (%d systems)** | **%.3f** | **%.3f** | **%.3f** | **%.3f** "
                    + "| **%.3f** | | |", n, sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n, sum[4] / n));
            if (base) {
                sb.append(baseN == 0 ? " |" : String.format(Locale.ROOT, " %.3f |", baseSum / baseN));
            }
            sb.append(String.format(Locale.ROOT, "%n| lowest GA | %.3f | | | | | | |%s%n", minGa, base ? " |" : ""));
        }
        return sb.toString();
    }

    /** Average GA, PA and parameter accuracy of one ground truth, as one line for the README. */
    public static String summary(List<ParseAccuracyBenchmark.Result> results, ParseAccuracyBenchmark.Truth truth) {
        List<ParseAccuracyBenchmark.Result> rs = results.stream().filter(r -> r.truth() == truth).toList();
        if (rs.isEmpty()) {
            return "";
        }
        double ga = rs.stream().mapToDouble(r -> r.metrics().ga()).average().orElse(0);
        double min = rs.stream().mapToDouble(r -> r.metrics().ga()).min().orElse(0);
        double pa = rs.stream().mapToDouble(r -> r.metrics().pa()).average().orElse(0);
        double par = rs.stream().mapToDouble(r -> r.metrics().parameters()).average().orElse(0);
        return String.format(Locale.ROOT, "%s: GA %.3f (lowest %.3f), PA %.3f, parameters %.3f", truth.folder(), ga,
                min, pa, par);
    }

    /**
     * The accuracy report: first what {@code anomalog parse --format NAME} gives with its defaults, then, labelled,
     * the same harness with the logparser benchmark's per-system masks and plain Drain.
     */
    public static void writeAccuracy(Path file, String commandLine, String settings,
                                     List<ParseAccuracyBenchmark.Result> defaults,
                                     List<ParseAccuracyBenchmark.Result> masked,
                                     List<ParseAccuracyBenchmark.Result> plain) throws IOException {
        String md = "# Parser accuracy on the loghub 2k samples\n\n"
                + "Written by `" + commandLine + "`.\n\n"
                + "## What users get: `anomalog parse --format NAME` with its defaults\n\n"
                + "Each system's raw log is parsed by the `parse` command itself (run in process, writing its structured CSV and "
                + "templates CSV), with nothing but the system's header format preset; its output is then scored. "
                + "Settings, the same for every system: " + settings + ".\n"
                + accuracyTable(defaults, List.of())
                + "\n## Tuned per system, for comparison: the logparser benchmark's masks\n\n"
                + "The same Drain settings in memory, with each system's masking patterns from the logparser "
                + "benchmark settings added to the default masking. These patterns were written for each system, so "
                + "these figures are not what a user of a new system gets. GA plain Drain: the published algorithm "
                + "run by the same harness (only the benchmark's per-system masks, no word guard, no sibling rule, "
                + "no joined runs; depth 4, similarity 0.5).\n"
                + accuracyTable(masked, plain)
                + "\n## Measures\n\n"
                + "GA: a line is right when its predicted group is exactly its true event's lines. FGA: F1 over groups. "
                + "PA: the line's final template text equals the true template. FTA: F1 over templates, a template "
                + "being right when its group is right and its text equals the true template. Parameters: the line's "
                + "parameter list equals the values the true template leaves in the line's content (matched with "
                + "lazy wildcards; white space runs collapsed). A true line with no result in the output counts as "
                + "wrong in every measure.\n";
        AtomicFiles.write(file, md.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces the text between the markers {@code <!-- bench parse -->} and {@code <!-- /bench parse -->} in a
     * file (the README's results table) with the summary, so the figures quoted there come from this command.
     * Returns false when the file has no markers.
     */
    public static boolean quoteIn(Path file, String summary) throws IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            return false;
        }
        String text = java.nio.file.Files.readString(file);
        String open = "<!-- bench parse -->";
        String close = "<!-- /bench parse -->";
        int a = text.indexOf(open);
        int b = text.indexOf(close);
        if (a < 0 || b < a) {
            return false;
        }
        String out = text.substring(0, a + open.length()) + summary + text.substring(b);
        if (!out.equals(text)) {
            AtomicFiles.write(file, out.getBytes(StandardCharsets.UTF_8));
        }
        return true;
    }

    /**
     * One whole command measured: what ran, on how many lines, the run of median wall time (null when it could not
     * run) and the wall seconds of every run, in the order they ran.
     */
    public record CommandRun(String name, long lines, ProcessMeasure.Measurement measurement, List<Double> walls) {
        public CommandRun {
            walls = List.copyOf(walls);
        }

        /** The median run of several by wall time (the upper one of an even count). */
        public static CommandRun median(String name, long lines, List<ProcessMeasure.Measurement> runs) {
            List<ProcessMeasure.Measurement> sorted = new java.util.ArrayList<>(runs);
            sorted.sort(java.util.Comparator.comparingDouble(ProcessMeasure.Measurement::wallSeconds));
            return new CommandRun(name, lines, sorted.get(sorted.size() / 2),
                    runs.stream().map(ProcessMeasure.Measurement::wallSeconds).toList());
        }
    }

    /**
     * @param viaLauncher whether the whole commands ran through the {@code ./anomalog} launcher (with the JVM options
     *                    it gives parse) rather than with the benchmark process's own Java and JVM options
     * @param loads       one-minute load averages: after the in-memory runs, before the whole-command runs and after
     *                    them
     */
    public static void writeSpeed(Path file, String commandLine, String input, int cores,
                                  List<ParseSpeedBenchmark.Run> runs, long peakHeap, List<CommandRun> commands,
                                  boolean viaLauncher, double[] loads) throws IOException {
        StringBuilder sb = new StringBuilder("# Parser speed\n\n");
        sb.append("Written by `").append(commandLine).append("`.\n\n");
        sb.append("Whole path from file bytes to parsed events (line split, UTF-8, HDFS header, default masking, ")
                .append("Drain tree search, parameters), input: ").append(input).append(". Machine: ")
                .append(cores).append(" available processors, shared with other work while measured.\n\n");
        sb.append("| threads | lines | wall seconds | lines/s (wall) | CPU seconds | lines per CPU second | templates |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (var r : runs) {
            sb.append(String.format(Locale.ROOT, "| %d | %,d | %.2f | %,.0f | %.2f | %,.0f | %d |%n", r.threads(),
                    r.lines(), r.seconds(), r.linesPerSecond(), r.cpuSeconds(), r.linesPerCpuSecond(), r.templates()));
        }
        sb.append(String.format(Locale.ROOT, "%nSystem load average (one minute) after these runs: %.1f on %d "
                + "processors (a load above the processor count means the run shared its cores; lines per CPU second "
                + "is then the better measure of the code; it counts the parsing threads only, not the garbage "
                + "collector).%n", loads[0], cores));
        sb.append(String.format(Locale.ROOT, "%nPeak heap in use during the run: %,.0f MiB.%n", peakHeap / 1048576.0));
        if (!commands.isEmpty()) {
            int repeats = commands.stream().mapToInt(c -> c.walls().size()).max().orElse(1);
            sb.append("\n## The whole command\n\n")
                    .append("Each command runs as its own process, from start to exit, on the same input (HDFS_20000.log ")
                    .append("repeated into a temporary file) and writes a structured CSV with templates and parameters; ")
                    .append("each is run ").append(repeats).append(repeats == 1 ? " time" : " times, one after the other")
                    .append(", and the run of median wall time is reported. ")
                    .append("`anomalog parse --format hdfs` runs with its defaults (all processors) ")
                    .append(viaLauncher ? "through the `./anomalog` launcher, with the JVM options it gives parse; "
                            : "with the Java and JVM options of this benchmark's process; ")
                    .append("with `--no-direct-output` it writes through the page cache instead of past it; ")
                    .append("Drain3 runs its default TemplateMiner (no masking) in a short Python script that splits the ")
                    .append("HDFS header the same way, when `python3 -c \"import drain3\"` works (`pip install drain3`; ")
                    .append("it is not a dependency). ")
                    .append("CPU time (user + system, all threads) and peak resident memory are read from /proc every ")
                    .append(ProcessMeasure.SAMPLE_MILLIS).append(" ms while the process runs.\n\n")
                    .append("| command | lines | wall seconds (median) | lines/s (wall) | CPU seconds | lines per CPU second "
                            + "| peak RSS (MiB) | wall seconds of each run |\n")
                    .append("|---|---|---|---|---|---|---|---|\n");
            for (CommandRun c : commands) {
                var m = c.measurement();
                if (m == null) {
                    sb.append(String.format(Locale.ROOT, "| %s | %,d | | | | | | |%n", c.name(), c.lines()));
                } else {
                    sb.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %,.0f | %.2f | %,.0f | %,.0f | %s |%n",
                            c.name(), c.lines(), m.wallSeconds(), c.lines() / m.wallSeconds(), m.cpuSeconds(),
                            c.lines() / m.cpuSeconds(), m.peakRssBytes() / 1048576.0, c.walls().stream()
                                    .map(w -> String.format(Locale.ROOT, "%.2f", w)).collect(java.util.stream.Collectors.joining(", "))));
                }
            }
            sb.append(String.format(Locale.ROOT, "%nSystem load average (one minute): %.1f before the command runs, "
                    + "%.1f after them, on %d processors; with a load above the processor count the commands shared "
                    + "their cores with other work, so their wall time is longer than on an idle machine, while their "
                    + "CPU seconds say what the command itself used.%n", loads[1], loads[2], cores));
            sb.append("\n### Where the CPU time of the command goes\n\n")
                    .append("CPU seconds of the median run by kind of thread, read from /proc/PID/task every ")
                    .append(ProcessMeasure.THREAD_SAMPLE_MILLIS).append(" ms (the last sample of each thread stands, ")
                    .append("so the figures add up to a little less than the total). The parse workers read headers, ")
                    .append("mask, look templates up and encode rows; main settles each line in order and hands the ")
                    .append("rows on (with --threads 1 it does everything); the writer (anomalog-write) writes them ")
                    .append("to the file; the reader cuts lines; the JIT compiler turns the ")
                    .append("hot code into machine code while the command runs.\n\n");
            List<CommandRun> measured = commands.stream().filter(c -> c.measurement() != null
                    && !c.measurement().cpuByThread().isEmpty()).toList();
            if (measured.isEmpty()) {
                sb.append("(not measured: /proc/PID/task was not readable)\n");
            } else {
                sb.append("| thread |");
                for (CommandRun c : measured) {
                    sb.append(String.format(Locale.ROOT, " %s, %,d lines |", c.name(), c.lines()));
                }
                sb.append("\n|---|").append("---|".repeat(measured.size())).append('\n');
                java.util.LinkedHashSet<String> kinds = new java.util.LinkedHashSet<>();
                for (CommandRun c : measured) {
                    c.measurement().threadsByCpu().forEach(e -> kinds.add(e.getKey()));
                }
                // kinds that used at least 0.05 s in some run get a row; the rest are added up as other threads
                List<String> shown = kinds.stream().filter(k -> measured.stream()
                        .anyMatch(c -> c.measurement().cpuByThread().getOrDefault(k, 0.0) >= 0.05)).toList();
                for (String kind : shown) {
                    sb.append("| ").append(kind).append(" |");
                    for (CommandRun c : measured) {
                        Double v = c.measurement().cpuByThread().get(kind);
                        sb.append(v == null ? " |" : String.format(Locale.ROOT, " %.2f |", v));
                    }
                    sb.append('\n');
                }
                sb.append("| other threads |");
                for (CommandRun c : measured) {
                    double rest = c.measurement().cpuByThread().entrySet().stream()
                            .filter(e -> !shown.contains(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
                    sb.append(String.format(Locale.ROOT, " %.2f |", rest));
                }
                sb.append('\n');
            }
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
