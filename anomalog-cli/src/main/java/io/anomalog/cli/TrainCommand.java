package io.anomalog.cli;

import io.anomalog.core.data.TemplateTextReader;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.ModelRegistry;
import io.anomalog.core.detect.ModelUpdate;
import io.anomalog.core.detect.Updatable;
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
        description = {"Trains a detector (see 'anomalog methods') and writes its model directory; or, with --update, "
                + "teaches a trained model that some sessions are normal and writes its next version.",
                "  anomalog train deeplog --logs app.log --format hdfs -o model/",
                "  anomalog train deeplog --update model/ --normal marked-normal.txt"})
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

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Model directory to write.")
    Path out;

    @Option(names = "--update", paramLabel = "DIR",
            description = "Instead of training anew: the model's active version learns the given sessions as normal "
                    + "(the online update, offline) and the result becomes its next version (see anomalog model).")
    Path update;

    @Option(names = "--confirmed", paramLabel = "FILE",
            description = "With --update: key-sequence file of confirmed anomalies; an update that would judge one "
                    + "normal is written but not made active (unless --force).")
    Path confirmed;

    @Option(names = "--force", description = "With --update: make the new version active even when it turns a "
            + "confirmed anomaly normal.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (update != null) {
            return update();
        }
        if (out == null) {
            throw new AnomalogException("train needs --out DIR (where the model goes), or --update DIR to update one");
        }
        if (java.nio.file.Files.exists(out.resolve(ModelRegistry.FILE))) {
            throw new AnomalogException(out + " holds a model with versions (" + ModelRegistry.FILE + "); training "
                    + "anew would overwrite its v1 under them: write to another folder, or update it with --update "
                    + out);
        }
        DetectorProvider provider = Detectors.provider(method);
        Params p = new Params(Params.parse(params));
        Trainer trainer = provider.trainer(p);     // unknown parameters are refused before any data is read
        if (provider.needsFeatures()) {
            // each window carries as many windows before it as the method reads
            input.withWindowFeatures(new Params(Params.parse(params)).getInt("history", 4));
        }
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
            if (read.features() != null) {
                read.features().save(out);
            }
            detector.save(out);
            System.err.printf("trained %s on %,d sequences in %.1f s; model written to %s%n", method,
                    training.size(), (System.nanoTime() - start) / 1e9, out);
        }
        return 0;
    }

    /** {@code --update}: the given sequences are false positives of the model's active version. */
    private int update() throws Exception {
        if (out != null) {
            throw new AnomalogException("--update writes the next version inside the model directory; drop --out");
        }
        if (!params.isEmpty() || templates != null) {
            throw new AnomalogException("--update keeps the model's settings and templates: drop -p and --templates");
        }
        ModelRegistry registry = ModelCommand.registry(update);
        String trained = ModelManifest.read(registry.dirOf(registry.active())).method();
        if (!trained.equals(method)) {
            throw new AnomalogException("model " + update + " is a " + trained + " model, not " + method);
        }
        List<Sequence> marked = DetectCommand.read(input, update, Label.NORMAL).sequences().stream()
                .filter(s -> s.length() > 0).toList();
        if (marked.isEmpty()) {
            throw new AnomalogException("--update: no sessions with events to learn from in the input");
        }
        List<ModelUpdate.Case> cases = new ArrayList<>();
        for (Sequence s : marked) {
            cases.add(new ModelUpdate.Case(caseId(s), s.withLabel(Label.NORMAL)));
        }
        List<ModelUpdate.Case> regression = new ArrayList<>();
        if (confirmed != null) {
            for (Sequence s : io.anomalog.core.data.KeySequenceReader.read(confirmed, Label.ANOMALOUS).sequences()) {
                regression.add(new ModelUpdate.Case(caseId(s), s));
            }
        }
        ModelUpdate.Outcome o = ModelUpdate.apply(registry, cases, regression, force, System.getProperty("user.name"),
                Updatable.Settings.defaults(), ProgressBar.forTerminal());
        System.err.println("anomalog: " + o.summary());
        if (o.version() != null && o.version().report() != null) {
            System.err.println("  " + o.version().report());
        }
        return o.version() != null && !o.activated() ? 3 : 0;
    }

    /** Offline feedback has no anomaly id: the session's id and keys name it, so giving the same file twice is a no-op. */
    private static String caseId(Sequence s) {
        return "batch:" + s.id() + ":" + Integer.toHexString(java.util.Arrays.hashCode(s.keys()));
    }
}
