package io.anomalog.core.features;

import java.util.List;

/**
 * The feature vectors behind a time window: the rows of one service and host's series up to and including the
 * window judged, its last row. Rows are shared with the series, not copied, so a window with a long history costs
 * no more than a reference. Values may be standardised: {@link #raw} undoes it for explanations.
 *
 * @param names   the column names
 * @param series  every row of the series, in time order
 * @param end     the index in {@code series} of the window judged
 * @param history how many rows up to {@code end} belong to the window (at least 1; fewer at the series' start)
 * @param offset  per column, what was subtracted (null: nothing)
 * @param scale   per column, what the difference was divided by (null: nothing)
 * @param logged  per column, whether the value was {@code sign(v) log(1 + |v|)} before that (null: none)
 */
public record FeatureRows(List<String> names, double[][] series, int end, int history, double[] offset,
                          double[] scale, boolean[] logged) {

    public FeatureRows {
        names = List.copyOf(names);
        if (end < 0 || end >= series.length) {
            throw new IllegalArgumentException("row " + end + " outside a series of " + series.length);
        }
        if (history < 1) {
            throw new IllegalArgumentException("history must be at least 1, got " + history);
        }
        history = Math.min(history, end + 1);
    }

    /** A single vector without history or scaling. */
    public static FeatureRows of(List<String> names, double[] row) {
        return new FeatureRows(names, new double[][]{row}, 0, 1, null, null, null);
    }

    /** Rows of a series without scaling. */
    public FeatureRows(List<String> names, double[][] series, int end, int history) {
        this(names, series, end, history, null, null, null);
    }

    public int width() {
        return names.size();
    }

    /** The rows of the window, oldest first; the last is the window judged. */
    public double[][] rows() {
        double[][] out = new double[history][];
        System.arraycopy(series, end - history + 1, out, 0, history);
        return out;
    }

    /** The window's own vector. */
    public double[] last() {
        return series[end];
    }

    /** A value in the units it was measured in. */
    public double raw(int column, double value) {
        double s = scale == null ? 1 : scale[column];
        double o = offset == null ? 0 : offset[column];
        double v = value * s + o;
        return logged != null && logged[column] ? Math.signum(v) * Math.expm1(Math.abs(v)) : v;
    }
}
