package io.anomalog.cli;

import io.anomalog.bench.parse.CommandOutput;
import io.anomalog.bench.parse.GroupingMetrics;
import io.anomalog.bench.parse.ParseAccuracyBenchmark;
import io.anomalog.bench.parse.Reports;
import io.anomalog.bench.parse.TruthLine;
import io.anomalog.core.io.Folders;
import io.anomalog.core.template.Drain;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import io.anomalog.core.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code anomalog bench parse}: parser accuracy on the loghub 2k samples, first through the {@code parse} command
 * with its defaults (what a user gets), then with the logparser benchmark's per-system masks (tuned, labelled).
 */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = "Parser accuracy (GA, FGA, PA, FTA, parameters) on the loghub 2k samples: the parse command with "
                + "its defaults, then per-system masks; writes docs/results/parse-accuracy.md.")
final class BenchParseCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "../shared/datasets", paramLabel = "DIR", description = "Datasets folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--report", defaultValue = "docs/results/parse-accuracy.md", paramLabel = "FILE", description = "Markdown report (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--readme", defaultValue = "README.md", paramLabel = "FILE", description = "File whose '<!-- bench parse -->' markers get the averages of the defaults (default: ${DEFAULT-VALUE}; skipped when it has none).")
    Path readme;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data.resolve("loghub_2k")) && !Files.isDirectory(data.resolve("loghub_2k_corrected"))) {
            throw new AnomalogException("no loghub_2k or loghub_2k_corrected folder under " + data);
        }
        ParseAccuracyBenchmark bench = new ParseAccuracyBenchmark(data, true);
        Set<String> systems = new LinkedHashSet<>();
        int n = 0;
        for (var t : ParseAccuracyBenchmark.Truth.values()) {
            systems.addAll(bench.systems(t));
            n += bench.systems(t).size();
        }
        Progress progress = ProgressBar.forTerminal();
        progress.start("bench parse", systems.size() + 2L * n);
        List<ParseAccuracyBenchmark.Result> defaults = new ArrayList<>();
        Path work = Files.createTempDirectory("anomalog-bench-parse");
        try {
            for (String system : systems) {
                progress.status("parse --format " + system.toLowerCase(Locale.ROOT));
                defaults.addAll(throughTheCommand(bench, system, work));
                progress.advance(1);
            }
        } finally {
            Folders.deleteTree(work);
        }
        List<ParseAccuracyBenchmark.Result> masked = bench.run(progress);
        List<ParseAccuracyBenchmark.Result> plain = ParseAccuracyBenchmark.plainDrain(data).run(progress);
        progress.finish();
        System.out.println("defaults (anomalog parse --format NAME):");
        System.out.print(Reports.accuracyTable(defaults, List.of()));
        System.out.println("\nwith the logparser benchmark's per-system masks (tuned):");
        System.out.print(Reports.accuracyTable(masked, plain));
        String cmd = "./anomalog bench parse" + (data.toString().equals("../shared/datasets") ? "" : " --data " + data);
        Reports.writeAccuracy(report, cmd, io.anomalog.core.template.MinerSettings.defaults().describe().toString(), defaults, masked, plain);
        System.err.println("wrote " + report);
        List<String> parts = new ArrayList<>();
        for (var t : ParseAccuracyBenchmark.Truth.values()) {
            String one = Reports.summary(defaults, t);
            if (!one.isEmpty()) {
                parts.add(one);
            }
        }
        String summary = " " + String.join("; ", parts) + " ";
        if (Reports.quoteIn(readme, summary)) {
            System.err.println("quoted the averages in " + readme);
        }
        return 0;
    }

    /** The count the parse command reports as "header mismatches: N", or -1. */
    static int headerMismatches(String summary) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("header mismatches: ([\\d,]+)").matcher(summary);
        return m.find() ? Integer.parseInt(m.group(1).replace(",", "")) : -1;
    }

    /**
     * Runs {@code anomalog parse --format NAME} on the system's raw log exactly as a user would (only the format
     * preset named), and scores what it wrote against every ground truth present.
     */
    private static List<ParseAccuracyBenchmark.Result> throughTheCommand(ParseAccuracyBenchmark bench, String system,
                                                                          Path work) {
        List<ParseAccuracyBenchmark.Result> out = new ArrayList<>();
        Path prefix = work.resolve(system);
        Path log = null;
        for (var t : ParseAccuracyBenchmark.Truth.values()) {
            if (bench.systems(t).contains(system)) {
                log = bench.logFile(t, system);
                break;
            }
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = AnomalogCli.execute("parse", "--format", system.toLowerCase(Locale.ROOT), "--input", log.toString(),
                    "--out", prefix.toString());
        } finally {
            System.setErr(saved);
        }
        if (code != 0) {
            throw new AnomalogException("anomalog parse failed on " + log + ": " + err.toString(StandardCharsets.UTF_8));
        }
        Path structured = work.resolve(system + "_structured.csv");
        for (var t : ParseAccuracyBenchmark.Truth.values()) {
            if (!bench.systems(t).contains(system)) {
                continue;
            }
            List<TruthLine> truth = TruthLine.read(bench.truthFile(t, system));
            List<GroupingMetrics.Prediction> predicted = CommandOutput.read(structured,
                    work.resolve(system + "_templates.csv"), truth);
            out.add(new ParseAccuracyBenchmark.Result(system, t, GroupingMetrics.compute(truth, predicted),
                    headerMismatches(err.toString(StandardCharsets.UTF_8))));
        }
        return out;
    }
}
