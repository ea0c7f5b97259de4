package io.anomalog.cli;

import io.anomalog.bench.parse.ParseAccuracyBenchmark;
import io.anomalog.bench.parse.Reports;
import io.anomalog.core.template.Drain;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import io.anomalog.core.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code anomalog bench parse}: GA, PA and FGA on every loghub 2k system present. */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = "Parser accuracy (GA, PA, FGA) on the loghub 2k samples; writes docs/results/parse-accuracy.md.")
final class BenchParseCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "../shared/datasets", paramLabel = "DIR", description = "Datasets folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--report", defaultValue = "docs/results/parse-accuracy.md", paramLabel = "FILE", description = "Markdown report (default: ${DEFAULT-VALUE}).")
    Path report;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data.resolve("loghub_2k")) && !Files.isDirectory(data.resolve("loghub_2k_corrected"))) {
            throw new AnomalogException("no loghub_2k or loghub_2k_corrected folder under " + data);
        }
        ParseAccuracyBenchmark bench = new ParseAccuracyBenchmark(data, true);
        int n = 0;
        for (var t : ParseAccuracyBenchmark.Truth.values()) {
            n += bench.systems(t).size();
        }
        Progress progress = ProgressBar.forTerminal();
        progress.start("bench parse", 2L * n);
        List<ParseAccuracyBenchmark.Result> results = bench.run(progress);
        List<ParseAccuracyBenchmark.Result> baseline = ParseAccuracyBenchmark.plainDrain(data).run(progress);
        progress.finish();
        System.out.print(Reports.accuracyTable(results, baseline));
        Reports.writeAccuracy(report, "./anomalog bench parse" + (data.toString().equals("../shared/datasets") ? ""
                : " --data " + data), Drain.builder().build().settings().toString(), results, baseline);
        System.err.println("wrote " + report);
        return 0;
    }
}
