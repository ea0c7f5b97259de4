package io.anomalog.bench.online;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.ModelRegistry;
import io.anomalog.core.detect.ModelUpdate;
import io.anomalog.core.detect.Updatable;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replays a labelled stream of sessions, in order, through a model, as an operator lives it: the stream comes
 * in steps of {@code step} sessions; every false positive of a step is answered "false positive" {@code delay}
 * steps later, every true anomaly "confirmed", and the feedback due at a step is applied as one update
 * ({@link ModelUpdate}, the same path the live stream and {@code train --update} take) before that step is judged.
 * Without update the same stream is judged by the first model throughout.
 */
public final class OnlineReplay {

    /** What happened in one step. */
    public record Step(int index, long sessions, long tp, long fp, long fn, long tn, String version) {
    }

    /** One update: when, how many false positives, how long it took (update + load of the new version). */
    public record UpdateCost(int step, int falsePositives, double seconds, boolean activated, double forgetting) {
    }

    /** A replay. */
    public record Run(boolean update, List<Step> steps, List<UpdateCost> updates) {
        public long sum(java.util.function.ToLongFunction<Step> f, int fromStep) {
            return steps.stream().filter(s -> s.index() >= fromStep).mapToLong(f).sum();
        }
    }

    private final int step;
    private final int delay;
    private final int maxConfirmed;
    private final Updatable.Settings settings;

    /**
     * @param step         sessions per step (a step is the operator's unit of time)
     * @param delay        steps between a false alarm and its feedback
     * @param maxConfirmed confirmed anomalies kept as regression cases (the first ones)
     */
    public OnlineReplay(int step, int delay, int maxConfirmed, Updatable.Settings settings) {
        this.step = step;
        this.delay = delay;
        this.maxConfirmed = maxConfirmed;
        this.settings = settings;
    }

    /** Judges the stream with the model at {@code modelDir} throughout. */
    public Run without(Path modelDir, List<Sequence> stream, Progress progress) throws IOException {
        try (Detector d = Detectors.load(ModelRegistry.activeDir(modelDir))) {
            List<Step> steps = new ArrayList<>();
            progress.start("replay without update", stream.size());
            for (int from = 0, k = 0; from < stream.size(); from += step, k++) {
                List<Sequence> part = stream.subList(from, Math.min(stream.size(), from + step));
                steps.add(count(k, part, d.scoreAll(part), "v1", null, null));
                progress.advance(part.size());
            }
            progress.finish();
            return new Run(false, steps, List.of());
        }
    }

    /** Judges the stream with a model that learns from the feedback (the registry at {@code modelDir} grows). */
    public Run with(Path modelDir, List<Sequence> stream, Progress progress) throws IOException {
        ModelRegistry registry = ModelRegistry.of(modelDir);
        List<Step> steps = new ArrayList<>();
        List<UpdateCost> costs = new ArrayList<>();
        List<List<ModelUpdate.Case>> due = new ArrayList<>();
        List<ModelUpdate.Case> confirmed = new ArrayList<>();
        Detector d = Detectors.load(registry.dirOf(registry.active()));
        try {
            progress.start("replay with online update", stream.size());
            int n = 0;
            for (int from = 0, k = 0; from < stream.size(); from += step, k++) {
                if (k < due.size() && !due.get(k).isEmpty()) {
                    long t0 = System.nanoTime();
                    ModelUpdate.Outcome o = ModelUpdate.apply(registry, due.get(k), confirmed, false, "bench",
                            settings, Progress.NONE);
                    if (o.activated()) {
                        d.close();
                        d = Detectors.load(registry.dirOf(registry.active()));
                    }
                    if (o.version() != null) {
                        Object f = o.version().report() == null ? null : o.version().report().get("forgetting");
                        costs.add(new UpdateCost(k, due.get(k).size(), (System.nanoTime() - t0) / 1e9, o.activated(),
                                f instanceof Number x ? x.doubleValue() : Double.NaN));
                    }
                }
                List<Sequence> part = stream.subList(from, Math.min(stream.size(), from + step));
                List<ModelUpdate.Case> feedback = new ArrayList<>();
                steps.add(count(k, part, d.scoreAll(part), registry.active(), feedback, confirmed));
                int at = k + Math.max(1, delay);
                while (due.size() <= at) {
                    due.add(new ArrayList<>());
                }
                for (ModelUpdate.Case c : feedback) {
                    due.get(at).add(new ModelUpdate.Case("s" + (n++), c.sequence().withLabel(Label.NORMAL)));
                }
                progress.advance(part.size());
            }
            progress.finish();
            return new Run(true, steps, costs);
        } finally {
            d.close();
        }
    }

    private Step count(int k, List<Sequence> part, List<Verdict> v, String version, List<ModelUpdate.Case> falsePositives,
                       List<ModelUpdate.Case> confirmed) {
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < part.size(); i++) {
            boolean actual = part.get(i).label() == Label.ANOMALOUS;
            boolean flagged = v.get(i).anomalous();
            if (actual && flagged) {
                tp++;
                if (confirmed != null && confirmed.size() < maxConfirmed) {
                    confirmed.add(new ModelUpdate.Case("c" + confirmed.size(), part.get(i)));
                }
            } else if (flagged) {
                fp++;
                if (falsePositives != null) {
                    falsePositives.add(new ModelUpdate.Case(null, part.get(i)));
                }
            } else if (actual) {
                fn++;
            } else {
                tn++;
            }
        }
        return new Step(k, part.size(), tp, fp, fn, tn, version);
    }

    /** Figures of a pair of runs from a step on (0: the whole stream). */
    public static Map<String, Double> compare(Run without, Run with, int fromStep) {
        double fpA = without.sum(Step::fp, fromStep);
        double fpB = with.sum(Step::fp, fromStep);
        double tpA = without.sum(Step::tp, fromStep);
        double tpB = with.sum(Step::tp, fromStep);
        double anomA = tpA + without.sum(Step::fn, fromStep);
        double anomB = tpB + with.sum(Step::fn, fromStep);
        return Map.of("fpWithout", fpA, "fpWith", fpB, "fpReduction", fpA == 0 ? 0 : 1 - fpB / fpA,
                "recallWithout", anomA == 0 ? Double.NaN : tpA / anomA, "recallWith", anomB == 0 ? Double.NaN : tpB / anomB);
    }
}
