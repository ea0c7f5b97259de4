package io.anomalog.cli;

import io.anomalog.bench.deeplog.DeepLogReport;
import io.anomalog.bench.protocol.RawLogProtocol;
import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Params;
import io.anomalog.core.eval.protocol.Protocol;
import io.anomalog.core.eval.protocol.Protocols;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code anomalog bench deeplog}: trains and evaluates DeepLog under its protocols (HDFS, OpenStack, BGL windows)
 * and on a labelled raw log, and writes the figures to {@code docs/results/deeplog.md}, its charts to
 * {@code docs/results/deeplog/}.
 */
@Command(name = "deeplog", mixinStandardHelpOptions = true,
        description = "Trains and evaluates DeepLog under hdfs-deeplog, openstack-deeplog and bgl-windows; writes "
                + "docs/results/deeplog.md and its charts into docs/results/deeplog/.")
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
        List<Protocol> named = new ArrayList<>();
        for (String name : protocols.isEmpty() ? PROTOCOLS : protocols) {
            named.add(Protocols.byName(name));
        }
        RawLogProtocol raw = "none".equals(rawLogs) ? null : new RawLogProtocol(Path.of(rawLogs),
                LogFormats.byName("hdfs"), "blk_-?\\d+", io.anomalog.core.data.SessionLabels.read(rawLabels), rawLabels.toString());
        DeepLogReport report = new DeepLogReport(DataDir.of(data), seed, Params.parse(params), modelSeeds,
                ProgressBar.forTerminal(), System.err::println);
        report.write(named, raw, out, "anomalog bench deeplog" + args());
        System.err.println("anomalog: wrote " + out);
        return 0;
    }

    /** The options that differ from their defaults, so the report names the command that rewrites it. */
    private String args() {
        StringBuilder sb = new StringBuilder();
        protocols.forEach(p -> sb.append(" --protocol ").append(p));
        if (!DataDir.DEFAULT.equals(data.toString())) {
            sb.append(" --data ").append(data);
        }
        if (!"data/hdfs/HDFS_5k.log".equals(rawLogs)) {
            sb.append(" --raw-logs ").append(rawLogs);
        }
        if (!"none".equals(rawLogs) && !Path.of("data/hdfs/HDFS_5k_labels.csv").equals(rawLabels)) {
            sb.append(" --raw-labels ").append(rawLabels);
        }
        params.forEach(p -> sb.append(" -p ").append(p));
        if (seed != 42) {
            sb.append(" --seed ").append(seed);
        }
        if (!modelSeeds.isEmpty()) {
            sb.append(" --model-seeds ").append(String.join(",", modelSeeds.stream().map(String::valueOf).toList()));
        }
        if (!Path.of("docs/results/deeplog.md").equals(out)) {
            sb.append(" -o ").append(out);
        }
        return sb.toString();
    }
}
