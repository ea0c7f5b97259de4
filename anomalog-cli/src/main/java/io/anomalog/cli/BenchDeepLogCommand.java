package io.anomalog.cli;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.eval.protocol.Protocols;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code anomalog bench deeplog}: trains and evaluates DeepLog under its protocols (HDFS, OpenStack, BGL windows)
 * and writes the figures to {@code docs/results/deeplog.md}.
 */
@Command(name = "deeplog", mixinStandardHelpOptions = true,
        description = "Trains and evaluates DeepLog under hdfs-deeplog, openstack-deeplog and bgl-windows; writes docs/results/deeplog.md.")
final class BenchDeepLogCommand implements Callable<Integer> {

    static final List<String> PROTOCOLS = List.of("hdfs-deeplog", "openstack-deeplog", "bgl-windows");

    @Option(names = "--protocol", paramLabel = "NAME", description = "Protocol(s) to run (default: all three).")
    List<String> protocols = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR", defaultValue = DataDir.DEFAULT,
            description = "Public datasets folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "DeepLog hyper-parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "42", description = "Protocol seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--raw-logs", paramLabel = "FILE", defaultValue = "data/hdfs/HDFS_5k.log",
            description = "Labelled raw log for the from-text section (default: ${DEFAULT-VALUE}); 'none' skips it.")
    String rawLogs;

    @Option(names = "--raw-labels", paramLabel = "FILE", defaultValue = "data/hdfs/HDFS_5k_labels.csv",
            description = "Session labels of --raw-logs (default: ${DEFAULT-VALUE}).")
    Path rawLabels;

    @Option(names = "--model-seeds", split = ",", paramLabel = "SEED[,SEED...]",
            description = "Also train one model per seed (the -p seed) on each protocol and report the spread of "
                    + "the figures over them: initialisation, shuffling and the validation split change with it.")
    List<Long> modelSeeds = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "docs/results/deeplog.md",
            description = "Markdown report to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<String> names = protocols.isEmpty() ? PROTOCOLS : protocols;
        Map<String, String> userParams = ParamConverter.toMap(params);
        StringBuilder md = new StringBuilder();
        md.append("# DeepLog: results under the evaluation protocols\n\n");
        md.append("Written by `anomalog bench deeplog").append(args()).append("` on ")
                .append(Instant.now().toString(), 0, 10).append(" (anomalog ")
                .append(io.anomalog.core.util.Version.current()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores; timings are wall-clock on a ")
                .append("machine that may be shared, so they are pessimistic). Each protocol trains a fresh model ")
                .append("with the default hyper-parameters (plus the protocol's suggested ones) and scores its test set.\n\n");
        md.append("| protocol | TP | FP | TN | FN | precision | recall | F1 | accuracy | FPR | ROC AUC | train s | detect s |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder details = new StringBuilder();
        for (String name : names) {
            System.err.println("anomalog: protocol " + name);
            Path modelDir = java.nio.file.Files.createTempDirectory("anomalog-bench-deeplog");
            ProtocolEvaluation.Outcome o = ProtocolEvaluation.run(name, data, seed, "deeplog", userParams, null,
                    modelDir, ProgressBar.forTerminal());
            var cm = o.evaluation().matrix();
            md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %.4f | %.4f | %.4f | %.4f | %.5f | %.4f | %.1f | %.1f |%n",
                    name, cm.tp(), cm.fp(), cm.tn(), cm.fn(), cm.precision(), cm.recall(), cm.f1(), cm.accuracy(),
                    cm.fpr(), o.evaluation().auc(), o.trainSeconds(), o.detectSeconds()));
            details.append("## ").append(name).append("\n\n")
                    .append(Protocols.byName(name).description()).append(".\n\n");
            o.split().notes().forEach((k, v) -> details.append("- ").append(k).append(": ").append(v).append('\n'));
            details.append("- hyper-parameters: ").append(o.hyperParameters()).append('\n');
            details.append(String.format(Locale.ROOT, "- detection: %,d test sequences in %.2f s (%,.0f/s)%n",
                    o.testSequences(), o.detectSeconds(), o.testSequences() / Math.max(o.detectSeconds(), 1e-9)));
            if (o.evaluation().projectedNormals() > 0) {
                details.append(String.format(Locale.ROOT,
                        "- projected to the original test mix of %,d normal sessions (false positives = measured FPR x %,d): "
                                + "FP %,.0f, precision %.4f, recall %.4f, F1 %.4f%n",
                        o.evaluation().projectedNormals(), o.evaluation().projectedNormals(), o.evaluation().projectedFp(),
                        o.evaluation().projectedPrecision(), cm.recall(), o.evaluation().projectedF1()));
            }
            details.append('\n').append(DeepLogRuleSweep.table(modelDir, o.split()));
            io.anomalog.core.io.Folders.deleteTree(modelDir);
            System.err.print(o.figures());
            if (!modelSeeds.isEmpty()) {
                details.append(seedSpread(name, userParams, o));
            }
        }
        if (!"none".equals(rawLogs)) {
            System.err.println("anomalog: raw log " + rawLogs);
            RawLogEvaluation.Outcome r = RawLogEvaluation.run(Path.of(rawLogs),
                    io.anomalog.core.log.LogFormats.byName("hdfs"), "blk_-?\\d+", rawLabels, seed, userParams,
                    ProgressBar.forTerminal());
            var cm = r.evaluation().matrix();
            md.append(String.format(Locale.ROOT, "| raw text: %s | %,d | %,d | %,d | %,d | %.4f | %.4f | %.4f | %.4f | %.5f | %.4f | %.1f (all) | |%n",
                    Path.of(rawLogs).getFileName(), cm.tp(), cm.fp(), cm.tn(), cm.fn(), cm.precision(), cm.recall(),
                    cm.f1(), cm.accuracy(), cm.fpr(), r.evaluation().auc(), r.seconds()));
            details.append("## raw text: ").append(rawLogs).append("\n\n")
                    .append(String.format(Locale.ROOT, "From raw lines: %,d lines (format hdfs) grouped by block id "
                                    + "(`blk_-?\\d+`), labels from %s. The normal blocks are split in half with the seed; Drain learns "
                                    + "templates from the lines of the %,d training blocks only (%,d templates), every line is then "
                                    + "matched against them (%,d lines fit none and get an unknown key), and DeepLog trains on the "
                                    + "training blocks and judges the other %,d normal and %,d anomalous blocks. A small sample: one "
                                    + "block moves the rates by several points.%n%n",
                            r.lines(), rawLabels, r.trainSessions(), r.templates(), r.unmatched(), r.testNormal(),
                            r.testAnomalous()));
        }
        md.append('\n').append(details);
        md.append("The DeepLog paper (Du et al., CCS 2017) reports on HDFS 833 false positives among 553,366 normal ")
                .append("sessions (FPR 0.15%) and 619 false negatives among 16,838 anomalous ones (recall 0.963), F1 0.96; ")
                .append("its normal test file is not public, hence the projection above.\n");
        AtomicFiles.write(out, md.toString().getBytes(StandardCharsets.UTF_8));
        System.err.println("anomalog: wrote " + out);
        return 0;
    }

    /** Trains and scores one model per {@code --model-seeds} value and tabulates the spread of the figures. */
    private String seedSpread(String protocol, Map<String, String> userParams, ProtocolEvaluation.Outcome first)
            throws Exception {
        String mainSeed = String.valueOf(first.hyperParameters().get("seed"));
        SeedSpread spread = new SeedSpread(first.evaluation().projectedNormals() > 0);
        for (long s : modelSeeds) {
            ProtocolEvaluation.Outcome o;
            if (String.valueOf(s).equals(mainSeed)) {
                o = first;
            } else {
                System.err.println("anomalog: protocol " + protocol + ", model seed " + s);
                Map<String, String> p = new java.util.LinkedHashMap<>(userParams);
                p.put("seed", String.valueOf(s));
                Path dir = java.nio.file.Files.createTempDirectory("anomalog-bench-deeplog");
                try {
                    o = ProtocolEvaluation.run(protocol, data, seed, "deeplog", p, null, dir,
                            ProgressBar.forTerminal());
                } finally {
                    io.anomalog.core.io.Folders.deleteTree(dir);
                }
            }
            spread.add(s, o.evaluation(), o.trainSeconds());
        }
        return spread.markdown(String.valueOf(first.hyperParameters().get("topG")));
    }

    private String args() {
        StringBuilder sb = new StringBuilder();
        protocols.forEach(p -> sb.append(" --protocol ").append(p));
        if (!"data/hdfs/HDFS_5k.log".equals(rawLogs)) {
            sb.append(" --raw-logs ").append(rawLogs);
        }
        params.forEach(p -> sb.append(" -p ").append(p));
        if (seed != 42) {
            sb.append(" --seed ").append(seed);
        }
        if (!modelSeeds.isEmpty()) {
            sb.append(" --model-seeds ").append(String.join(",", modelSeeds.stream().map(String::valueOf).toList()));
        }
        return sb.toString();
    }
}
