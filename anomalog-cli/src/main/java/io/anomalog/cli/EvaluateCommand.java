package io.anomalog.cli;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.RocCurve;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code anomalog evaluate}: scores labelled sequences and prints the confusion matrix and figures. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluates a trained model on labelled sequences: TP/FP/TN/FN, precision, recall, F1, accuracy, FPR, AUC.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory.")
    Path model;

    @Mixin
    SequenceInput input;

    @Override
    public Integer call() throws Exception {
        List<Sequence> sequences = input.read(Label.UNKNOWN).stream().filter(s -> s.label().isKnown()).toList();
        if (sequences.isEmpty()) {
            throw new AnomalogException("no labelled sequences: use --normal/--abnormal or --labelled");
        }
        long start = System.nanoTime();
        List<Verdict> verdicts;
        try (Detector detector = Detectors.load(model)) {
            verdicts = detector.scoreAll(sequences);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        ConfusionMatrix cm = ConfusionMatrix.empty();
        double[] scores = new double[sequences.size()];
        boolean[] truth = new boolean[sequences.size()];
        boolean scored = true;
        for (int i = 0; i < sequences.size(); i++) {
            truth[i] = sequences.get(i).label() == Label.ANOMALOUS;
            cm = cm.add(truth[i], verdicts.get(i).anomalous());
            scores[i] = verdicts.get(i).score();
            scored &= !Double.isNaN(scores[i]);
        }
        System.out.printf(Locale.ROOT, "sequences %,d (normal %,d, anomalous %,d) scored in %.2f s%n",
                sequences.size(), cm.tn() + cm.fp(), cm.tp() + cm.fn(), secs);
        System.out.printf(Locale.ROOT, "TP %,d  FP %,d  TN %,d  FN %,d%n", cm.tp(), cm.fp(), cm.tn(), cm.fn());
        System.out.printf(Locale.ROOT, "precision %.4f  recall %.4f  F1 %.4f  accuracy %.4f  FPR %.5f%n",
                cm.precision(), cm.recall(), cm.f1(), cm.accuracy(), cm.fpr());
        if (scored) {
            System.out.printf(Locale.ROOT, "ROC AUC %.4f%n", RocCurve.of(scores, truth).auc());
        }
        return 0;
    }
}
