package io.anomalog.cli;

import io.anomalog.bench.detect.BenchmarkReport;
import io.anomalog.bench.detect.ResultTable;
import io.anomalog.bench.harness.Harness;
import io.anomalog.bench.harness.HarnessResult;
import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Params;
import io.anomalog.core.eval.protocol.Protocol;
import io.anomalog.core.eval.protocol.Protocols;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code anomalog bench detect}: compares detection methods under a named protocol. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Trains and tests detection methods on a protocol's split and prints precision, recall, F1, "
                + "accuracy, ROC-AUC and timings; --report writes Markdown and HTML with charts.")
final class BenchDetectCommand implements Callable<Integer> {

    @Option(names = "--protocol", paramLabel = "NAME",
            description = "Evaluation protocol (--list-protocols shows them).")
    String protocol;

    @Option(names = "--list-protocols", description = "List the protocols (name, then description) and exit.")
    boolean listProtocols;

    @Option(names = "--methods", split = ",", paramLabel = "M1,M2",
            description = "Methods to run (default: every registered method that applies).")
    List<String> methods = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR", defaultValue = DataDir.DEFAULT,
            description = "Dataset folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split (default: ${DEFAULT-VALUE}); methods keep their own seed parameter, e.g. -p iforest.seed=7.")
    long seed;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "Also run seeds S+1 .. S+N-1 (other splits) and print mean ± standard deviation per method.")
    int repeat;

    @Option(names = {"-p", "--param"}, paramLabel = "METHOD.NAME=VALUE",
            description = "Hyper-parameter of one method, e.g. pca.weighting=tf-idf (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--report", paramLabel = "DIR", description = "Write report.md, report.html and charts here.")
    Path report;

    @Override
    public Integer call() throws Exception {
        if (listProtocols) {
            Protocols.all().values().forEach(p -> System.out.println(p.name() + "\t" + p.description()));
            return 0;
        }
        if (protocol == null) {
            throw new AnomalogException("give --protocol NAME (see --list-protocols)");
        }
        if (repeat < 1) {
            throw new AnomalogException("--repeat must be at least 1");
        }
        Protocol p = Protocols.byName(protocol);
        Map<String, Map<String, String>> perMethod = Params.parseByMethod(params);
        String cmd = command();
        List<HarnessResult> runs = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            HarnessResult r = Harness.on(p).data(DataDir.of(data)).seed(seed + i).methods(methods).params(perMethod)
                    .progress(ProgressBar.forTerminal()).command(cmd).run();
            runs.add(r);
            if (i == 0) {
                System.out.println("protocol " + r.protocol() + " (seed " + r.seed() + ")");
                r.split().notes().forEach((k, v) -> System.out.println("  " + k + ": " + v));
                r.skipped().forEach(s -> System.out.println("  skipped " + s));
                System.out.print(ResultTable.text(r));
            }
        }
        if (repeat > 1) {
            System.out.println("across seeds " + seed + ".." + (seed + repeat - 1) + ":");
            System.out.print(ResultTable.spreadText(runs));
        }
        if (report != null) {
            BenchmarkReport.write(runs.get(0), runs, report);
            System.err.println("report written to " + report.resolve(BenchmarkReport.MARKDOWN) + " and "
                    + report.resolve(BenchmarkReport.HTML));
        }
        return 0;
    }

    /** The command line the report names: the options given, the seed always. */
    private String command() {
        StringBuilder cmd = new StringBuilder("./anomalog bench detect --protocol ").append(protocol);
        if (!methods.isEmpty()) {
            cmd.append(" --methods ").append(String.join(",", methods));
        }
        if (!DataDir.DEFAULT.equals(data.toString())) {
            cmd.append(" --data ").append(data);
        }
        cmd.append(" --seed ").append(seed);
        if (repeat > 1) {
            cmd.append(" --repeat ").append(repeat);
        }
        Params.parse(params).forEach((k, v) -> cmd.append(" -p ").append(k).append('=').append(v));
        if (report != null) {
            cmd.append(" --report ").append(report);
        }
        return cmd.toString();
    }
}
