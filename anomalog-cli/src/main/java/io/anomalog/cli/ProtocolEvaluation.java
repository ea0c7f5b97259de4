package io.anomalog.cli;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.eval.Evaluation;
import io.anomalog.core.eval.protocol.Protocol;
import io.anomalog.core.eval.protocol.Protocols;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one method under one named protocol: loads the split, trains on it (or loads a given model), scores the
 * test sequences and computes the figures. Protocol notes named {@code <method>.<param>} are default
 * hyper-parameters for that method (e.g. {@code deeplog.history=20} for 21-key windows); parameters given by the
 * user win.
 */
final class ProtocolEvaluation {

    /** Everything a report needs about one run. */
    record Outcome(Split split, String method, Map<String, Object> hyperParameters, Evaluation evaluation,
                   double trainSeconds, double detectSeconds, int testSequences) {

        String figures() {
            var cm = evaluation.matrix();
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "TP %,d  FP %,d  TN %,d  FN %,d%n", cm.tp(), cm.fp(), cm.tn(), cm.fn()));
            sb.append(String.format(Locale.ROOT, "precision %.4f  recall %.4f  F1 %.4f  accuracy %.4f  FPR %.5f%n",
                    cm.precision(), cm.recall(), cm.f1(), cm.accuracy(), cm.fpr()));
            if (!Double.isNaN(evaluation.auc())) {
                sb.append(String.format(Locale.ROOT, "ROC AUC %.4f%n", evaluation.auc()));
            }
            if (evaluation.projectedNormals() > 0) {
                sb.append(String.format(Locale.ROOT,
                        "projected to %,d normal sessions: FP %,.0f  precision %.4f  F1 %.4f%n",
                        evaluation.projectedNormals(), evaluation.projectedFp(), evaluation.projectedPrecision(),
                        evaluation.projectedF1()));
            }
            return sb.toString();
        }
    }

    private ProtocolEvaluation() {
    }

    static Outcome run(String protocolName, Path dataDir, long seed, String method, Map<String, String> userParams,
                       Path model, Path saveModel, Progress progress) throws IOException {
        Protocol protocol = Protocols.byName(protocolName);
        Split split = protocol.load(DataDir.of(dataDir), seed);
        long start = System.nanoTime();
        Detector detector;
        if (model != null) {
            detector = Detectors.load(model);
        } else {
            DetectorProvider provider = Detectors.provider(method);
            DataDir data = DataDir.of(dataDir);
            Trainer trainer = split.trainer(provider, userParams, data);
            List<Sequence> training = split.trainingFor(provider);
            if (training.isEmpty()) {
                throw new AnomalogException("protocol " + protocolName + " gives no training sequences for " + method);
            }
            detector = trainer.fit(training, split.vocabulary(), progress);
            if (saveModel != null) {
                try {
                    detector.save(saveModel);
                } catch (IOException | RuntimeException e) {
                    detector.close();
                    throw e;
                }
            }
        }
        double trainSecs = (System.nanoTime() - start) / 1e9;
        try (Detector d = detector) {
            long t0 = System.nanoTime();
            List<Verdict> verdicts = d.scoreAll(split.test());
            double detectSecs = (System.nanoTime() - t0) / 1e9;
            Evaluation e = Evaluation.of(split.test(), verdicts, split.projectedNormals());
            return new Outcome(split, d.method(), d.manifest().hyperParameters(), e, model == null ? trainSecs : 0,
                    detectSecs, split.test().size());
        }
    }
}
