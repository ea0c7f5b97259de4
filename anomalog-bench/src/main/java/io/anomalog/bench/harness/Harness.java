package io.anomalog.bench.harness;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.protocol.Protocol;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains, scores and evaluates detection methods under one protocol; every report of anomalog is a view of its
 * {@link HarnessResult}. Each method is trained through {@link Split#trainer} (so the protocol's suggested
 * parameters, validation sequences and template texts reach it alike), unsupervised ones on the normal training
 * sequences only; the labelled test sequences are scored once with {@code scoreAll}, one method after another so
 * timings do not interfere, and every figure (confusion matrix, ROC and precision-recall curve, projection,
 * threshold sweeps, probes) comes from that one pass.
 *
 * <pre>{@code
 * HarnessResult r = Harness.on(protocol).data(dataDir).seed(42).methods(List.of("pca", "lr"))
 *         .progress(bar).run();
 * }</pre>
 */
public final class Harness {

    /** The parameter that carries a model seed to a method's trainer. */
    public static final String SEED_PARAMETER = "seed";

    private final Protocol protocol;
    private final Split split;
    private DataDir data;
    private long seed = 42;
    private List<String> methods = List.of();
    private Map<String, Map<String, String>> params = Map.of();
    private List<Long> modelSeeds = List.of();
    private List<ModelProbe<?>> probes = List.of();
    private Path model;
    private Path saveModel;
    private Progress progress = Progress.NONE;
    private Consumer<String> log = line -> { };
    private String command = "";

    private Harness(Protocol protocol, Split split) {
        this.protocol = protocol;
        this.split = split;
    }

    public static Harness on(Protocol protocol) {
        return new Harness(protocol, null);
    }

    /** A harness on a split made elsewhere (a labelled input, a constructed set). */
    public static Harness on(Split split) {
        return new Harness(null, split);
    }

    /** Dataset folder the protocol reads, and where template lists named by its notes are found. */
    public Harness data(DataDir data) {
        this.data = data;
        return this;
    }

    /** Seed of the split. */
    public Harness seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Methods to run; empty = every registered method that applies to the split. */
    public Harness methods(List<String> methods) {
        this.methods = List.copyOf(methods);
        return this;
    }

    /** Hyper-parameters per method (method -> name -> value); methods not named use their defaults. */
    public Harness params(Map<String, Map<String, String>> params) {
        this.params = Map.copyOf(params);
        return this;
    }

    /**
     * Also trains one model per seed ({@value #SEED_PARAMETER} parameter) of every method and keeps the results
     * in {@link HarnessResult#modelSeedRuns()}. The headline model (parameters as given) stands for the seed it
     * recorded, so that seed is not trained twice.
     */
    public Harness modelSeeds(List<Long> modelSeeds) {
        this.modelSeeds = List.copyOf(modelSeeds);
        return this;
    }

    /** What to look at on every trained model besides its verdicts. */
    public Harness probes(List<ModelProbe<?>> probes) {
        this.probes = List.copyOf(probes);
        return this;
    }

    /** Scores this saved model instead of training one (its manifest names the method). */
    public Harness model(Path modelDir) {
        this.model = modelDir;
        return this;
    }

    /** Writes the headline model of the one method run to this model directory. */
    public Harness saveModel(Path modelDir) {
        this.saveModel = modelDir;
        return this;
    }

    public Harness progress(Progress progress) {
        this.progress = progress;
        return this;
    }

    /** Where one line per trained model goes (what trains on how much, and its F1); nowhere by default. */
    public Harness log(Consumer<String> log) {
        this.log = log;
        return this;
    }

    /** The command line recorded in reports. */
    public Harness command(String command) {
        this.command = command;
        return this;
    }

    /** Why a method cannot run on a split, or null when it can. */
    static String notApplicable(DetectorProvider provider, Split split) {
        if (provider.needsFeatures() && split.train().stream().noneMatch(io.anomalog.core.session.Sequence::hasFeatures)) {
            return provider.method() + ": judges time windows by their feature vectors, which " + split.protocol()
                    + " does not give";
        }
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

    public HarnessResult run() throws IOException {
        long start = System.nanoTime();
        Split s = split != null ? split : protocol.load(data, seed);
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        String name = protocol != null ? protocol.name() : s.protocol();
        String description = protocol != null ? protocol.description() : "";
        List<Sequence> test = s.test().stream().filter(q -> q.label().isKnown()).toList();
        if (test.isEmpty()) {
            throw new AnomalogException("protocol " + name + " gave no labelled test sequences");
        }
        if (model != null) {
            return new HarnessResult(name, description, seed, s, loadSeconds, List.of(given(s, test)), Map.of(),
                    List.of(), command);
        }
        List<String> skipped = new ArrayList<>();
        List<DetectorProvider> chosen = choose(s, skipped);
        if (saveModel != null && chosen.size() != 1) {
            throw new AnomalogException("saving the model needs one method, not " + chosen.size());
        }
        List<MethodResult> results = new ArrayList<>();
        Map<String, List<HarnessResult.SeedRun>> seedRuns = new LinkedHashMap<>();
        for (DetectorProvider p : chosen) {
            Map<String, String> given = params.getOrDefault(p.method(), Map.of());
            MethodResult headline = train(p, given, s, test, "", saveModel);
            results.add(headline);
            if (!modelSeeds.isEmpty()) {
                List<HarnessResult.SeedRun> runs = new ArrayList<>();
                for (long modelSeed : modelSeeds) {
                    MethodResult r;
                    if (String.valueOf(modelSeed).equals(String.valueOf(headline.parameters().get(SEED_PARAMETER)))) {
                        r = headline;
                    } else {
                        Map<String, String> withSeed = new LinkedHashMap<>(given);
                        withSeed.put(SEED_PARAMETER, String.valueOf(modelSeed));
                        r = train(p, withSeed, s, test, " (model seed " + modelSeed + ")", null);
                    }
                    runs.add(new HarnessResult.SeedRun(modelSeed, r));
                }
                seedRuns.put(p.method(), List.copyOf(runs));
            }
        }
        return new HarnessResult(name, description, seed, s, loadSeconds, List.copyOf(results), seedRuns,
                List.copyOf(skipped), command);
    }

    private List<DetectorProvider> choose(Split s, List<String> skipped) {
        List<DetectorProvider> chosen = new ArrayList<>();
        if (methods.isEmpty()) {
            for (DetectorProvider p : Detectors.all().values()) {
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
        return chosen;
    }

    private MethodResult train(DetectorProvider provider, Map<String, String> given, Split s, List<Sequence> test,
                               String which, Path saveTo) throws IOException {
        List<Sequence> training = s.trainingFor(provider);
        log.accept(String.format(Locale.ROOT, "%s on %s%s: training on %,d sequences", provider.method(),
                s.protocol(), which, training.size()));
        long start = System.nanoTime();
        Detector detector = s.trainer(provider, given, data).fit(training, s.vocabulary(), progress);
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        try (detector) {
            if (saveTo != null) {
                detector.save(saveTo);
            }
            MethodResult r = evaluate(detector, provider, training.size(), fitSeconds, s, test);
            log.accept(String.format(Locale.ROOT, "%s on %s%s: F1 %.4f, trained in %.1f s", provider.method(),
                    s.protocol(), which, r.confusion().f1(), fitSeconds));
            return r;
        }
    }

    private MethodResult given(Split s, List<Sequence> test) throws IOException {
        if (!methods.isEmpty() || !modelSeeds.isEmpty() || !params.isEmpty() || saveModel != null) {
            throw new AnomalogException("a given model is scored as it is: no methods, parameters, model seeds or "
                    + "model to save go with it");
        }
        try (Detector detector = Detectors.load(model)) {
            return evaluate(detector, Detectors.provider(detector.method()), 0, 0, s, test);
        }
    }

    private MethodResult evaluate(Detector detector, DetectorProvider provider, int trainSequences,
                                  double fitSeconds, Split s, List<Sequence> test) {
        progress.start("scoring " + provider.method(), test.size());
        long start = System.nanoTime();
        List<Verdict> verdicts = detector.scoreAll(test);
        double predictSeconds = (System.nanoTime() - start) / 1e9;
        progress.advance(test.size());
        progress.finish();
        if (verdicts.size() != test.size()) {
            throw new IllegalStateException(provider.method() + " returned " + verdicts.size() + " verdicts for "
                    + test.size() + " sequences");
        }
        ScoredTest scored = ScoredTest.of(test, verdicts);
        ConfusionMatrix cm = scored.confusion();
        Map<String, Object> found = new LinkedHashMap<>();
        for (ModelProbe<?> probe : probes) {
            probe.examine(detector, s, test, scored).ifPresent(v -> found.put(probe.name(), v));
        }
        var manifest = detector.manifest();
        return new MethodResult(provider.method(), provider.description(), provider.supervised(), trainSequences,
                fitSeconds, predictSeconds, scored, cm, scored.roc(),
                s.projectedNormals() > 0 ? Projection.of(cm, s.projectedNormals()) : null,
                manifest.hyperParameters(), manifest.training(), manifest.metrics(), Map.copyOf(found));
    }
}
