package io.anomalog.bench.detect;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.RocCurve;
import io.anomalog.core.eval.protocol.Protocol;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs detection methods under one protocol: every method trains on the same training sequences (unsupervised
 * ones on the normal ones only), scores the same test sequences with {@code scoreAll}, one method after another so
 * timings do not interfere, and is measured at its own threshold and by the ROC of its scores.
 *
 * <pre>{@code
 * BenchmarkResult r = DetectionBenchmark.forProtocol(protocol).data(dataDir).seed(42)
 *         .methods(List.of("pca", "lr")).progress(bar).run();
 * }</pre>
 */
public final class DetectionBenchmark {

    private final Protocol protocol;
    private DataDir data;
    private long seed = 42;
    private List<String> methods = List.of();
    private Progress progress = Progress.NONE;
    private Split split;
    private String command = "";
    private Map<String, Map<String, String>> params = Map.of();

    private DetectionBenchmark(Protocol protocol) {
        this.protocol = protocol;
    }

    public static DetectionBenchmark forProtocol(Protocol protocol) {
        return new DetectionBenchmark(protocol);
    }

    public DetectionBenchmark data(DataDir data) {
        this.data = data;
        return this;
    }

    public DetectionBenchmark seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Methods to run; empty = every registered method that applies to the split. */
    public DetectionBenchmark methods(List<String> methods) {
        this.methods = List.copyOf(methods);
        return this;
    }

    public DetectionBenchmark progress(Progress progress) {
        this.progress = progress;
        return this;
    }

    /** Hyper-parameters per method (method -> name -> value); methods not named use their defaults. */
    public DetectionBenchmark params(Map<String, Map<String, String>> params) {
        this.params = Map.copyOf(params);
        return this;
    }

    /** Uses an already loaded split instead of loading the protocol's. */
    public DetectionBenchmark split(Split split) {
        this.split = split;
        return this;
    }

    /** The command line recorded in reports. */
    public DetectionBenchmark command(String command) {
        this.command = command;
        return this;
    }

    /** Why a method cannot run on a split, or null when it can. */
    static String notApplicable(DetectorProvider provider, Split split) {
        if (provider.supervised()) {
            long anomalous = split.count(split.train(), Label.ANOMALOUS);
            long normal = split.count(split.train(), Label.NORMAL);
            if (anomalous == 0 || normal == 0) {
                return provider.method() + ": supervised, but the training set of " + split.protocol()
                        + " has " + normal + " normal and " + anomalous + " anomalous sequences";
            }
        } else if (split.train().stream().noneMatch(s -> s.label() != Label.ANOMALOUS)) {
            return provider.method() + ": no normal training sequences";
        }
        return null;
    }

    public BenchmarkResult run() {
        Split s = split != null ? split : protocol.load(data, seed);
        if (s.test().stream().noneMatch(q -> q.label().isKnown())) {
            throw new AnomalogException("protocol " + protocol.name() + " gave no labelled test sequences");
        }
        List<DetectorProvider> chosen = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, DetectorProvider> all = Detectors.all();
        if (methods.isEmpty()) {
            for (DetectorProvider p : all.values()) {
                String why = notApplicable(p, s);
                if (why == null) {
                    chosen.add(p);
                } else {
                    skipped.add(why);
                }
            }
        } else {
            for (String m : methods) {
                DetectorProvider p = Detectors.provider(m);
                String why = notApplicable(p, s);
                if (why != null) {
                    throw new AnomalogException(why);
                }
                chosen.add(p);
            }
        }
        for (String m : params.keySet()) {
            if (chosen.stream().noneMatch(p -> p.method().equals(m))) {
                throw new AnomalogException("parameters given for " + m + ", which is not run");
            }
        }
        List<MethodResult> results = new ArrayList<>();
        for (DetectorProvider p : chosen) {
            results.add(runOne(p, s));
        }
        return new BenchmarkResult(protocol.name(), protocol.description(), seed, s, results, skipped, command);
    }

    private MethodResult runOne(DetectorProvider provider, Split s) {
        List<Sequence> training = s.trainingFor(provider);
        List<Sequence> test = s.test().stream().filter(q -> q.label().isKnown()).toList();
        long start = System.nanoTime();
        Detector detector = s.trainer(provider, params.get(provider.method()), data).fit(training, s.vocabulary(), progress);
        double fit = (System.nanoTime() - start) / 1e9;
        try (detector) {
            progress.start("scoring " + provider.method(), test.size());
            start = System.nanoTime();
            List<Verdict> verdicts = detector.scoreAll(test);
            double predict = (System.nanoTime() - start) / 1e9;
            progress.advance(test.size());
            progress.finish();
            if (verdicts.size() != test.size()) {
                throw new IllegalStateException(provider.method() + " returned " + verdicts.size() + " verdicts for "
                        + test.size() + " sequences");
            }
            ConfusionMatrix cm = ConfusionMatrix.empty();
            double[] scores = new double[test.size()];
            boolean[] truth = new boolean[test.size()];
            boolean scored = true;
            for (int i = 0; i < test.size(); i++) {
                truth[i] = test.get(i).label() == Label.ANOMALOUS;
                cm = cm.add(truth[i], verdicts.get(i).anomalous());
                scores[i] = verdicts.get(i).score();
                scored &= !Double.isNaN(scores[i]);
            }
            RocCurve roc = scored ? RocCurve.of(scores, truth) : null;
            return new MethodResult(provider.method(), provider.description(), provider.supervised(), training.size(),
                    fit, predict, cm, roc, MethodResult.projectedF1(cm, s.projectedNormals()), scores, truth,
                    detector.manifest().hyperParameters());
        }
    }
}
