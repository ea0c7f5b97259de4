package io.anomalog.bench.parse;

import io.anomalog.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes the parser benchmark results as Markdown under docs/results. */
public final class Reports {

    private Reports() {
    }

    public static String accuracyTable(List<ParseAccuracyBenchmark.Result> results) {
        return accuracyTable(results, List.of());
    }

    /** The table, with a column of GA of plain Drain when baseline results are given. */
    public static String accuracyTable(List<ParseAccuracyBenchmark.Result> results,
                                       List<ParseAccuracyBenchmark.Result> baseline) {
        StringBuilder sb = new StringBuilder();
        for (ParseAccuracyBenchmark.Truth truth : ParseAccuracyBenchmark.Truth.values()) {
            List<ParseAccuracyBenchmark.Result> rs = results.stream().filter(r -> r.truth() == truth).toList();
            if (rs.isEmpty()) {
                continue;
            }
            sb.append("\n### Ground truth: ").append(truth.folder()).append("\n\n");
            sb.append("| system | GA | PA | FGA | groups (predicted / true) | header mismatches | GA plain Drain |\n");
            sb.append("|---|---|---|---|---|---|---|\n");
            double ga = 0;
            double base = 0;
            int baseN = 0;
            double pa = 0;
            double fga = 0;
            for (var r : rs) {
                var m = r.metrics();
                var b = baseline.stream().filter(x -> x.truth() == r.truth() && x.system().equals(r.system()))
                        .findFirst();
                String bs = b.map(x -> String.format(Locale.ROOT, "%.3f", x.metrics().ga())).orElse("");
                if (b.isPresent()) {
                    base += b.get().metrics().ga();
                    baseN++;
                }
                sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %d / %d | %d | %s |%n", r.system(),
                        m.ga(), m.pa(), m.fga(), m.predictedGroups(), m.trueGroups(), r.headerMismatches(), bs));
                ga += m.ga();
                pa += m.pa();
                fga += m.fga();
            }
            int n = rs.size();
            sb.append(String.format(Locale.ROOT, "| **average (%d systems)** | **%.3f** | **%.3f** | **%.3f** | | | %s |%n",
                    n, ga / n, pa / n, fga / n, baseN == 0 ? "" : String.format(Locale.ROOT, "%.3f", base / baseN)));
        }
        return sb.toString();
    }

    public static void writeAccuracy(Path file, String commandLine, String settings,
                                     List<ParseAccuracyBenchmark.Result> results,
                                     List<ParseAccuracyBenchmark.Result> baseline) throws IOException {
        String md = "# Parser accuracy on the loghub 2k samples\n\n"
                + "Written by `" + commandLine + "`.\n\n"
                + "Settings (the same for every system): " + settings + ". Per system only the header format and the"
                + " masking patterns of the logparser benchmark settings differ.\n\n"
                + "GA: grouping accuracy (a line is correct when its predicted group is exactly its true group). "
                + "PA: parsing accuracy (template text equals the true template). FGA: F1 over groups. "
                + "GA plain Drain: the published algorithm run by the same harness (no default masking, no word "
                + "guard, no sibling rule; the benchmark's per-system masking; depth 4, similarity 0.5).\n"
                + accuracyTable(results, baseline);
        AtomicFiles.write(file, md.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeSpeed(Path file, String commandLine, String input, int cores,
                                  List<ParseSpeedBenchmark.Run> runs, long peakHeap) throws IOException {
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
        sb.append(String.format(Locale.ROOT, "%nSystem load average while measuring: %.1f on %d processors (a load "
                + "above the processor count means the run shared its cores; lines per CPU second is then the "
                + "better measure of the code; it counts the parsing threads only, not the garbage collector).%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage(), cores));
        sb.append(String.format(Locale.ROOT, "%nPeak heap in use during the run: %,.0f MiB.%n", peakHeap / 1048576.0));
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
