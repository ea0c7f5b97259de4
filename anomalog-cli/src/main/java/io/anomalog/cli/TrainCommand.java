package io.anomalog.cli;

import io.anomalog.core.data.TemplateTextReader;
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
            description = "Template list for key files (loghub EventId,EventTemplate CSV, id,template CSV, or one template a line), "
                    + "kept with the model so explanations show template texts.")
    Path templates;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Model directory to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        DetectorProvider provider = Detectors.provider(method);
        Params p = new Params(Params.parse(params));
        Trainer trainer = provider.trainer(p);     // unknown parameters are refused before any data is read
        SequenceInput.Read read = input.forTraining(out);
        List<Sequence> all = read.sequences();
        List<Sequence> training = provider.supervised() ? all
                : all.stream().filter(s -> s.label() != Label.ANOMALOUS).toList();
        if (training.isEmpty()) {
            throw new AnomalogException("no training sequences" + (provider.supervised() ? "" : " labelled normal"));
        }
        trainer.withProvenance(read.provenance());
        trainer.withTemplateTexts(read.templateTexts()); // mined or --structured template texts, for explanations
        if (templates != null) {
            trainer.withTemplateTexts(TemplateTextReader.read(templates));
        }
        long start = System.nanoTime();
        try (Detector detector = trainer.fit(training, KeyVocabulary.of(all), ProgressBar.forTerminal())) {
            if (read.store() != null) {
                // the keys are this store's ids: it goes with the model, first, so that the manifest (whose
                // provenance names the store's hash) is the last file written
                java.nio.file.Files.createDirectories(out);
                read.store().save(out.resolve(SequenceInput.STORE_FILE));
            }
            detector.save(out);
            System.err.printf("trained %s on %,d sequences in %.1f s; model written to %s%n", method,
                    training.size(), (System.nanoTime() - start) / 1e9, out);
        }
        return 0;
    }
}
