package io.anomalog.ml.deeplog.parameter;

import io.anomalog.core.detect.Updatable;
import io.anomalog.core.session.Sequence;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DeepLog's online update of the parameter-value models: for a parameter false positive, the model of each key
 * whose vector in a marked session is judged anomalous learns that session's vectors, keeping what it knew; the
 * other keys' models are copied unchanged.
 *
 * <ul>
 *   <li>An LSTM key: a copy of its network is fine-tuned (Adam at its training step size) on the key's windows in
 *   the marked sessions together with a replay of its kept training windows ({@link KeySample}), then its
 *   Gaussian of errors is refitted on the errors of its kept held-out windows plus the marked ones, stopping once
 *   every marked vector is within the new bound (see {@link ParameterTrainer#fineTune}). The marked windows join
 *   the key's sample, so a later update replays and refits on them too.</li>
 *   <li>A per-dimension Gaussian key: its layout's mean and deviation are refitted on the training vectors'
 *   statistics (their count, mean and deviation) plus the marked vectors; a dimension where a marked vector
 *   still lies beyond the interval is widened just enough to hold it.</li>
 * </ul>
 */
public final class ParameterUpdate {

    /** The updated models (a new instance; the given one is unchanged) and what was done to each key. */
    public record Result(ParameterModel model, List<Map<String, Object>> keys) {
    }

    private ParameterUpdate() {
    }

    public static Result apply(ParameterModel parent, List<Sequence> marked, Updatable.Settings settings) {
        List<Sequence> withEvents = marked.stream().filter(Sequence::hasEvents).toList();
        TreeSet<Integer> flagged = new TreeSet<>();
        for (List<ParameterFinding> f : parent.judge(withEvents)) {
            f.forEach(x -> flagged.add(x.key()));
        }
        Map<Integer, KeyLayout> layouts = new TreeMap<>();
        Map<Integer, KeyModel> models = new TreeMap<>();
        Map<Integer, KeySample> samples = new TreeMap<>();
        List<Map<String, Object>> report = new ArrayList<>();
        for (int key : flagged) {
            KeyModel m = parent.models().get(key);
            KeyLayout layout = parent.layouts().get(key);
            List<KeySeries.Step> steps = new ArrayList<>();
            for (Sequence s : withEvents) {
                steps.addAll(KeySeries.of(s, layout, parent.history()));
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("key", key);
            r.put("kind", m.kind());
            r.put("vectors", steps.size());
            if (m.isLstm()) {
                KeySample sample = parent.samples().get(key);
                if (sample == null || parent.lr() <= 0) {
                    r.put("updated", false);
                    r.put("reason", "the model keeps no training windows for this key (written by an older "
                            + "anomalog; train again to update it)");
                    report.add(r);
                    continue;
                }
                double lr = settings.learningRate() > 0 ? settings.learningRate() : parent.lr();
                ParameterTrainer.Tuned t = ParameterTrainer.fineTune(layout, parent.network(key), parent.history(),
                        parent.hidden(), lr, parent.confidence(), steps, sample.train(), sample.validation(),
                        settings.minSteps(), settings.maxSteps(), settings.replayBatch(), settings.seed());
                double[] all = new double[t.validationErrors().length + t.markedErrors().length];
                System.arraycopy(t.validationErrors(), 0, all, 0, t.validationErrors().length);
                System.arraycopy(t.markedErrors(), 0, all, t.validationErrors().length, t.markedErrors().length);
                Gaussian g = Gaussian.fit(all);
                KeyModel next = new KeyModel(key, KeyModel.LSTM, m.trainingVectors(), m.validationVectors(), g.mean(),
                        g.sd(), m.residualSd(), m.epochsRun(), m.bestEpoch(),
                        Base64.getEncoder().encodeToString(t.network()));
                double after = g.upperBound(parent.confidence());
                boolean pass = true;
                for (double e : t.markedScored()) {
                    pass &= e <= after;
                }
                models.put(key, next);
                samples.put(key, grown(sample, steps));
                r.put("updated", true);
                r.put("steps", t.steps());
                r.put("thresholdBefore", parent.threshold(m));
                r.put("thresholdAfter", after);
                r.put("learnedAll", pass);
            } else {
                KeyLayout next = refit(layout, m.trainingVectors(), withEvents, Gaussian.z(parent.confidence()));
                layouts.put(key, next);
                models.put(key, new KeyModel(key, KeyModel.GAUSSIAN, m.trainingVectors() + steps.size(), 0, null,
                        null, null, null, null, null));
                r.put("updated", true);
                r.put("steps", 0);
                r.put("thresholdBefore", bounds(layout, Gaussian.z(parent.confidence())));
                r.put("thresholdAfter", bounds(next, Gaussian.z(parent.confidence())));
                r.put("learnedAll", true);
            }
            report.add(r);
        }
        return new Result(parent.withKeys(layouts, models, samples), report);
    }

    private static KeySample grown(KeySample s, List<KeySeries.Step> marked) {
        float[][] th = concat(s.trainHistories(), marked.stream().map(KeySeries.Step::history).toArray(float[][]::new));
        double[][] tt = concat(s.trainTargets(), marked.stream().map(KeySeries.Step::target).toArray(double[][]::new));
        float[][] vh = concat(s.validationHistories(),
                marked.stream().map(KeySeries.Step::history).toArray(float[][]::new));
        double[][] vt = concat(s.validationTargets(),
                marked.stream().map(KeySeries.Step::target).toArray(double[][]::new));
        return new KeySample(s.key(), th, tt, vh, vt);
    }

    private static <T> T[] concat(T[] a, T[] b) {
        T[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Per dimension, the raw interval {@code [mean - z * scale, mean + z * scale]} a value is normal in. */
    private static List<List<Double>> bounds(KeyLayout l, double z) {
        List<List<Double>> out = new ArrayList<>();
        for (int d = 0; d < l.dimensions(); d++) {
            out.add(List.of(l.mean()[d] - z * l.scale()[d], l.mean()[d] + z * l.scale()[d]));
        }
        return out;
    }

    /**
     * The layout refitted on {@code n} training vectors (known by the layout's mean and scale, taken as their
     * deviation) plus the key's vectors in the marked sessions, each dimension then wide enough for those vectors.
     */
    static KeyLayout refit(KeyLayout l, long n, List<Sequence> marked, double z) {
        int dims = l.dimensions();
        double[] sum = new double[dims];
        double[] sq = new double[dims];
        for (int d = 0; d < dims; d++) {
            sum[d] = n * l.mean()[d];
            sq[d] = n * (l.scale()[d] * l.scale()[d] + l.mean()[d] * l.mean()[d]);
        }
        List<double[]> raw = new ArrayList<>();
        for (Sequence s : marked) {
            int[] keys = s.keys();
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] == l.key()) {
                    raw.add(l.raw(s, i));
                }
            }
        }
        for (double[] v : raw) {
            for (int d = 0; d < dims; d++) {
                sum[d] += v[d];
                sq[d] += v[d] * v[d];
            }
        }
        long total = n + raw.size();
        double[] mean = new double[dims];
        double[] scale = new double[dims];
        for (int d = 0; d < dims; d++) {
            mean[d] = sum[d] / total;
            double sd = Math.sqrt(Math.max(0, sq[d] / total - mean[d] * mean[d]));
            scale[d] = sd > 1e-9 * Math.max(1, Math.abs(mean[d])) ? sd : Math.max(Math.abs(mean[d]), 1);
            for (double[] v : raw) {
                // just wide enough: the marked value lies a hair inside the interval
                scale[d] = Math.max(scale[d], Math.abs(v[d] - mean[d]) / z * 1.001);
            }
        }
        return new KeyLayout(l.key(), l.parameters(), l.positions(), l.time(), mean, scale, l.resolution());
    }
}
