package io.anomalog.ml.deeplog.parameter;

import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the parameter value vector of one log key holds and how it is normalised. A vector has one dimension per
 * template parameter that was a quantity (see {@link Quantities}) in every training event of the key that had the
 * key's usual number of parameters, then, when the training events had times, the seconds since the previous
 * event of the sequence (0 for its first event). Each dimension is normalised with the key's training mean and
 * standard deviation; a dimension that was constant in training is divided by {@code max(|mean|, 1)} instead, so
 * a change is measured relative to the value's size.
 *
 * <p>Timestamps have a resolution (HDFS writes whole seconds), so a gap is only known to within it: a time
 * dimension whose training gaps were all whole seconds (or whole milliseconds) has that resolution, and when
 * judging, a prediction error on it counts only beyond the resolution ({@link #beyondResolution}); the Gaussian of
 * errors is fitted on the whole held-out errors. Without this, a gap of 1 s where 0 s is usual (two events either
 * side of a second's boundary) reads as an anomaly.
 *
 * <p>At scoring time a parameter that is not a quantity where training always had one, or an event with another
 * number of parameters, puts the key's training mean in that dimension (normalised 0): the vector says nothing
 * about what it cannot read.
 *
 * @param key        the log key
 * @param parameters how many parameters the key's template has (the most common count in training)
 * @param positions  0-based positions of the parameters that are dimensions, in order
 * @param time       whether the last dimension is the seconds since the previous event
 * @param mean       training mean per dimension
 * @param scale      training standard deviation per dimension (or its replacement for a constant one)
 * @param resolution per dimension, the resolution of its values in their units (0: none known)
 */
public record KeyLayout(int key, int parameters, int[] positions, boolean time, double[] mean, double[] scale,
                        double[] resolution) {

    /** A normalised residual of dimension d with the dimension's resolution taken off (towards 0). */
    public double beyondResolution(int d, double residual) {
        double r = resolution == null ? 0 : resolution[d] / scale[d];
        return Math.signum(residual) * Math.max(0, Math.abs(residual) - r);
    }

    /** Dimensions of the vector. */
    public int dimensions() {
        return positions.length + (time ? 1 : 0);
    }

    /** Names of the dimensions, for explanations: {@code p1, p2, ...} (1-based positions) and {@code seconds}. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (int p : positions) {
            out.add("p" + (p + 1));
        }
        if (time) {
            out.add(SECONDS);
        }
        return out;
    }

    /** Name of the time dimension. */
    public static final String SECONDS = "seconds since previous event";

    /** The raw (unnormalised) vector of event {@code i} of a sequence. */
    public double[] raw(Sequence s, int i) {
        ParsedEvent e = s.events().get(i);
        double[] v = new double[dimensions()];
        List<String> params = e.parameters();
        for (int d = 0; d < positions.length; d++) {
            double x = params.size() == parameters ? Quantities.parse(params.get(positions[d])) : Double.NaN;
            v[d] = Double.isNaN(x) ? mean[d] : x;
        }
        if (time) {
            int d = positions.length;
            double gap = secondsSincePrevious(s, i);
            v[d] = Double.isNaN(gap) ? mean[d] : gap;
        }
        return v;
    }

    /** The normalised vector of event {@code i}. */
    public double[] normalised(Sequence s, int i) {
        return normalise(raw(s, i));
    }

    public double[] normalise(double[] raw) {
        double[] out = new double[raw.length];
        for (int d = 0; d < raw.length; d++) {
            out[d] = (raw[d] - mean[d]) / scale[d];
        }
        return out;
    }

    /** Back to raw units. */
    public double[] denormalise(double[] z) {
        double[] out = new double[z.length];
        for (int d = 0; d < z.length; d++) {
            out[d] = z[d] * scale[d] + mean[d];
        }
        return out;
    }

    /** Seconds from the previous event of the sequence to event i: 0 for the first, NaN when a time is missing. */
    static double secondsSincePrevious(Sequence s, int i) {
        if (i == 0) {
            return 0;
        }
        Instant now = s.events().get(i).record().time();
        Instant before = s.events().get(i - 1).record().time();
        if (now == null || before == null) {
            return Double.NaN;
        }
        return Duration.between(before, now).toNanos() / 1e9;
    }

    /** Layouts of every key with at least one dimension, learned from the events of normal sequences. */
    public static Map<Integer, KeyLayout> learn(List<Sequence> sequences) {
        Map<Integer, Map<Integer, Integer>> counts = new TreeMap<>();
        Map<Integer, Boolean> timed = new TreeMap<>();
        for (Sequence s : sequences) {
            for (int i = 0; i < s.events().size(); i++) {
                ParsedEvent e = s.events().get(i);
                counts.computeIfAbsent(e.templateId(), k -> new TreeMap<>())
                        .merge(e.parameters().size(), 1, Integer::sum);
                boolean hasTime = e.record().time() != null;
                timed.merge(e.templateId(), hasTime, Boolean::logicalAnd);
            }
        }
        Map<Integer, KeyLayout> out = new TreeMap<>();
        for (var entry : counts.entrySet()) {
            int key = entry.getKey();
            int usual = entry.getValue().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            boolean[] numeric = new boolean[usual];
            Arrays.fill(numeric, true);
            for (Sequence s : sequences) {
                for (ParsedEvent e : s.events()) {
                    if (e.templateId() == key && e.parameters().size() == usual) {
                        for (int p = 0; p < usual; p++) {
                            numeric[p] &= !Double.isNaN(Quantities.parse(e.parameters().get(p)));
                        }
                    }
                }
            }
            int[] positions = java.util.stream.IntStream.range(0, usual).filter(p -> numeric[p]).toArray();
            boolean time = timed.get(key);
            int dims = positions.length + (time ? 1 : 0);
            if (dims == 0) {
                continue;
            }
            double[] zero = new double[dims];
            double[] one = new double[dims];
            Arrays.fill(one, 1);
            KeyLayout draft = new KeyLayout(key, usual, positions, time, zero, one, null);
            boolean wholeSeconds = true;
            boolean wholeMillis = true;
            double[] sum = new double[dims];
            double[] sq = new double[dims];
            long n = 0;
            for (Sequence s : sequences) {
                for (int i = 0; i < s.events().size(); i++) {
                    if (s.events().get(i).templateId() == key) {
                        double[] v = draft.raw(s, i); // a missing time reads as 0 here
                        if (time) {
                            double g = v[dims - 1];
                            wholeSeconds &= Math.abs(g - Math.rint(g)) < 1e-9;
                            wholeMillis &= Math.abs(g * 1000 - Math.rint(g * 1000)) < 1e-6;
                        }
                        for (int d = 0; d < dims; d++) {
                            sum[d] += v[d];
                            sq[d] += v[d] * v[d];
                        }
                        n++;
                    }
                }
            }
            double[] mean = new double[dims];
            double[] scale = new double[dims];
            for (int d = 0; d < dims; d++) {
                mean[d] = sum[d] / n;
                double var = Math.max(0, sq[d] / n - mean[d] * mean[d]);
                double sd = Math.sqrt(var);
                scale[d] = sd > 1e-9 * Math.max(1, Math.abs(mean[d])) ? sd : Math.max(Math.abs(mean[d]), 1);
            }
            double[] resolution = new double[dims];
            if (time) {
                resolution[dims - 1] = wholeSeconds ? 1 : wholeMillis ? 0.001 : 0;
            }
            out.put(key, new KeyLayout(key, usual, positions, time, mean, scale, resolution));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyLayout k && key == k.key && parameters == k.parameters && time == k.time
                && Arrays.equals(positions, k.positions) && Arrays.equals(mean, k.mean) && Arrays.equals(scale, k.scale)
                && Arrays.equals(resolution, k.resolution);
    }

    @Override
    public int hashCode() {
        return 31 * key + Arrays.hashCode(positions);
    }
}
