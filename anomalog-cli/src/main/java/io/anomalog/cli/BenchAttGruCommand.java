package io.anomalog.cli;

import io.anomalog.bench.attgru.AttGruReport;
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
 * {@code anomalog bench attgru}: P/R/F1 of ATT-GRU, its ablations and the one-hot classifier (and PCA / DeepLog
 * when this build has them) on {@code hdfs-attgru} and {@code bgl-supervised}; prints the report and writes it
 * to {@code docs/results/attgru-run.md}, its charts to {@code docs/results/attgru-run/}; the committed results
 * over model seeds are written with it by {@code scripts/attgru-seeds.sh}.
 */
@Command(name = "attgru", mixinStandardHelpOptions = true,
        description = "ATT-GRU study: trains and tests attgru, gru, attlstm, lstm, lstm-classifier (and pca, deeplog "
                + "when available) on hdfs-attgru and bgl-supervised; writes docs/results/attgru-run.md and its "
                + "charts into docs/results/attgru-run/ (docs/results/attgru.md is the table over model seeds that "
                + "scripts/attgru-seeds.sh writes).")
final class BenchAttGruCommand implements Callable<Integer> {

    static final Path DEFAULT_OUT = Path.of("docs/results/attgru-run.md");

    @Option(names = "--data", paramLabel = "DIR", description = "Public datasets folder (default ${DEFAULT-VALUE}).",
            defaultValue = DataDir.DEFAULT)
    Path data;

    @Option(names = "--methods", split = ",", paramLabel = "M,...",
            description = "Methods (default ${DEFAULT-VALUE}).",
            defaultValue = "attgru,gru,attlstm,lstm,lstm-classifier,pca,deeplog")
    List<String> methods;

    @Option(names = "--protocols", split = ",", paramLabel = "P,...",
            description = "Protocols (default ${DEFAULT-VALUE}).", defaultValue = "hdfs-attgru,bgl-supervised")
    List<String> protocols;

    @Option(names = "--seed", description = "Split and training seed (default ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE",
            description = "Extra hyper-parameter for every window classifier (repeatable), e.g. batch=2048.")
    List<String> params = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Report file (default ${DEFAULT-VALUE}).",
            defaultValue = "docs/results/attgru-run.md")
    Path out;

    @Override
    public Integer call() throws Exception {
        AttGruReport report = new AttGruReport(DataDir.of(data), seed, Params.parse(params),
                ProgressBar.forTerminal(), System.err::println);
        System.out.print(report.write(methods, protocols, out, command()));
        System.err.println("report written to " + out);
        return 0;
    }

    /** The exact command: every option that differs from its default. */
    private String command() {
        StringBuilder sb = new StringBuilder("anomalog bench attgru");
        if (!methods.equals(AttGruReport.DEFAULT_METHODS)) {
            sb.append(" --methods ").append(String.join(",", methods));
        }
        if (!protocols.equals(AttGruReport.DEFAULT_PROTOCOLS)) {
            sb.append(" --protocols ").append(String.join(",", protocols));
        }
        if (seed != 1) {
            sb.append(" --seed ").append(seed);
        }
        params.forEach(p -> sb.append(" -p ").append(p));
        if (!out.equals(DEFAULT_OUT)) {
            sb.append(" -o ").append(out);
        }
        return sb.toString();
    }
}
