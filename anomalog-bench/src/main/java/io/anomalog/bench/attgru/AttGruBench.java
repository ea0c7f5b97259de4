package io.anomalog.bench.attgru;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.RocCurve;
import io.anomalog.core.eval.protocol.Protocol;
import io.anomalog.core.eval.protocol.Protocols;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.attgru.WindowClassifierDetector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the ATT-GRU comparison: every chosen method trained and tested on each chosen protocol, with training
 * time and scoring throughput. The supervised window classifiers get the protocol's template file
 * ({@code templates} note); unsupervised methods (PCA, DeepLog, when registered) train on the normal training
 * sequences only.
 */
public final class AttGruBench {

    /** One method on one protocol. */
    public record Row(String protocol, String method, boolean ran, String note, double trainSeconds,
                      ConfusionMatrix test, ConfusionMatrix validation, long windows, long distinctWindows,
                      double scoreSeconds, Map<String, Object> training, ScoredTest scored) {
    }

    /**
     * The test set's scores and labels, so that other decision thresholds can be applied to the same trained model
     * without scoring again.
     */
    public record ScoredTest(double[] scores, boolean[] anomalous) {

        /** The confusion matrix of the rule "anomalous when score >= threshold". */
        public ConfusionMatrix at(double threshold) {
            ConfusionMatrix cm = ConfusionMatrix.empty();
            for (int i = 0; i < scores.length; i++) {
                cm = cm.add(anomalous[i], scores[i] >= threshold);
            }
            return cm;
        }

        public double auc() {
            return RocCurve.of(scores, anomalous).auc();
        }
    }

    private final DataDir data;
    private final long seed;
    private final Map<String, String> extraParams;
    private final Progress progress;

    public AttGruBench(DataDir data, long seed, Map<String, String> extraParams, Progress progress) {
        this.data = data;
        this.seed = seed;
        this.extraParams = extraParams;
        this.progress = progress;
    }

    private final Map<String, Map<String, Object>> notes = new LinkedHashMap<>();

    /** The split notes of a protocol this bench has run (sizes, sources, overlaps). */
    public Map<String, Object> notes(String protocolName) {
        return notes.getOrDefault(protocolName, Map.of());
    }

    public List<Row> run(String protocolName, List<String> methods) {
        Protocol protocol = Protocols.byName(protocolName);
        Split split = protocol.load(data, seed);
        notes.put(protocolName, split.notes());
        List<Row> rows = new ArrayList<>();
        for (String method : methods) {
            DetectorProvider provider = Detectors.all().get(method);
            if (provider == null) {
                rows.add(new Row(protocolName, method, false, "method not available in this build", 0, null, null,
                        0, 0, 0, Map.of(), null));
                continue;
            }
            rows.add(runOne(split, provider));
        }
        return rows;
    }

    private Row runOne(Split split, DetectorProvider provider) {
        Map<String, String> p = new LinkedHashMap<>(extraParams);
        List<Sequence> training = split.trainingFor(provider);
        System.err.printf("%s on %s: training on %,d sequences%n", provider.method(), split.protocol(), training.size());
        long t0 = System.nanoTime();
        try (Detector detector = split.trainer(provider, p, data).fit(training, split.vocabulary(), progress)) {
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            List<Verdict> verdicts = detector.scoreAll(split.test());
            double[] scores = new double[verdicts.size()];
            boolean[] labels = new boolean[verdicts.size()];
            ConfusionMatrix test = ConfusionMatrix.empty();
            for (int i = 0; i < scores.length; i++) {
                scores[i] = verdicts.get(i).score();
                labels[i] = split.test().get(i).label() == Label.ANOMALOUS;
                test = test.add(labels[i], verdicts.get(i).anomalous());
            }
            // scoring throughput: a second, warm pass over the test set
            long s0 = System.nanoTime();
            detector.scoreAll(split.test());
            double scoreSeconds = (System.nanoTime() - s0) / 1e9;
            long windows = split.test().size();
            long distinct = split.test().size();
            if (detector instanceof WindowClassifierDetector w) {
                windows = w.windowCount(split.test());
                distinct = w.distinctWindows(split.test());
            }
            ConfusionMatrix validation = split.protocol().equals("hdfs-attgru") && !split.validation().isEmpty()
                    ? evaluate(detector, split.validation()) : null;
            System.err.printf("%s on %s: F1 %.4f, trained in %.1f s%n", provider.method(), split.protocol(), test.f1(),
                    trainSeconds);
            return new Row(split.protocol(), provider.method(), true, "", trainSeconds, test, validation, windows,
                    distinct, scoreSeconds, detector.manifest().training(), new ScoredTest(scores, labels));
        }
    }

    static ConfusionMatrix evaluate(Detector detector, List<Sequence> sequences) {
        List<Verdict> verdicts = detector.scoreAll(sequences);
        ConfusionMatrix cm = ConfusionMatrix.empty();
        for (int i = 0; i < sequences.size(); i++) {
            cm = cm.add(sequences.get(i).label() == Label.ANOMALOUS, verdicts.get(i).anomalous());
        }
        return cm;
    }
}
