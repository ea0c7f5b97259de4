package io.anomalog.cli;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code anomalog train METHOD}: fits a detector and saves its model directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains a detector (see 'anomalog methods') and writes its model directory.")
final class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "METHOD", description = "Detection method, e.g. deeplog, pca, attgru.")
    String method;

    @Mixin
    SequenceInput input;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Hyper-parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--templates", paramLabel = "FILE",
            description = "Template texts of the log keys (CSV EventId,EventTemplate or id,template), for methods "
                    + "that read what a key says; passed to the trainer as parameter templates=FILE.")
    Path templates;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Model directory to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        DetectorProvider provider = Detectors.provider(method);
        List<Sequence> all = input.read(Label.NORMAL);
        List<Sequence> training = provider.supervised() ? all
                : all.stream().filter(s -> s.label() != Label.ANOMALOUS).toList();
        if (training.isEmpty()) {
            throw new AnomalogException("no training sequences" + (provider.supervised() ? "" : " labelled normal"));
        }
        java.util.Map<String, String> given = new java.util.LinkedHashMap<>(ParamConverter.toMap(params));
        if (templates != null) {
            given.putIfAbsent("templates", templates.toString());
        }
        Params p = new Params(given);
        Trainer trainer = provider.trainer(p);
        long start = System.nanoTime();
        try (Detector detector = trainer.fit(training, KeyVocabulary.of(all), ProgressBar.forTerminal())) {
            detector.save(out);
            System.err.printf("trained %s on %,d sequences in %.1f s; model written to %s%n", method,
                    training.size(), (System.nanoTime() - start) / 1e9, out);
        }
        return 0;
    }
}
