package io.anomalog.cli;

import io.anomalog.bench.harness.Harness;
import io.anomalog.bench.harness.MethodResult;
import io.anomalog.bench.report.Figures;
import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Params;
import io.anomalog.core.eval.protocol.Protocols;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code anomalog evaluate}: scores labelled sequences and prints the confusion matrix and figures; with
 * {@code --protocol} it runs a named evaluation setup, training the method first when no model is given.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluates a detector on labelled sequences: TP/FP/TN/FN, precision, recall, F1, accuracy, FPR, AUC.",
                "Either a model (-m) with --normal/--abnormal/--labelled files, or a named --protocol "
                        + "(trains --method first unless -m is given)."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, paramLabel = "DIR", description = "Model directory.")
    Path model;

    @Mixin
    SequenceInput input;

    @Option(names = "--protocol", paramLabel = "NAME",
            description = "Named evaluation protocol (e.g. hdfs-deeplog, openstack-deeplog, bgl-windows).")
    String protocol;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = DataDir.DEFAULT,
            description = "Public datasets folder for --protocol (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "deeplog",
            description = "Method to train for --protocol when no model is given (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Hyper-parameter for training (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "42", description = "Protocol seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--save-model", paramLabel = "DIR", description = "With --protocol: also write the trained model here.")
    Path saveModel;

    @Override
    public Integer call() throws Exception {
        if (protocol != null) {
            if (!input.isEmpty()) {
                throw new AnomalogException("--protocol brings its own data: drop --sessions/--normal/--abnormal/--labelled");
            }
            Harness h = Harness.on(Protocols.byName(protocol)).data(DataDir.of(data)).seed(seed)
                    .progress(ProgressBar.forTerminal());
            h = model != null ? h.model(model) : h.methods(List.of(method))
                    .params(Map.of(method, Params.parse(params))).saveModel(saveModel);
            MethodResult o = h.run().results().get(0);
            System.out.printf(Locale.ROOT, "protocol %s, method %s%s%n", protocol, o.method(),
                    model == null ? String.format(Locale.ROOT, " (trained in %.1f s)", o.fitSeconds()) : "");
            System.out.printf(Locale.ROOT, "test sequences %,d scored in %.2f s (%,.0f/s)%n", o.test().size(),
                    o.predictSeconds(), o.test().size() / Math.max(o.predictSeconds(), 1e-9));
            System.out.print(Figures.text(o));
            return 0;
        }
        if (model == null) {
            throw new AnomalogException("give a model (-m DIR) with labelled input, or a --protocol");
        }
        List<Sequence> read = DetectCommand.read(input, model, Label.UNKNOWN).sequences();
        List<Sequence> sequences = read.stream().filter(s -> s.label().isKnown()).toList();
        if (sequences.isEmpty()) {
            throw new AnomalogException("no labelled sequences: use --normal/--abnormal, --labelled, or --logs with --labels");
        }
        if (sequences.size() < read.size()) {
            System.err.printf("anomalog: %,d sequence(s) without a label not evaluated (e.g. sessions missing from "
                    + "--labels, or --sessions files)%n", read.size() - sequences.size());
        }
        MethodResult e = Harness.on(new Split("labelled input", List.of(), List.of(), sequences, null, 0, Map.of()))
                .model(model).run().results().get(0);
        var cm = e.confusion();
        System.out.printf(Locale.ROOT, "sequences %,d (normal %,d, anomalous %,d) scored in %.2f s%n",
                sequences.size(), cm.tn() + cm.fp(), cm.tp() + cm.fn(), e.predictSeconds());
        System.out.print(Figures.text(e));
        return 0;
    }
}
