package io.anomalog.ml.reconstruction;

import java.util.Arrays;

/**
 * How rare a feature's (normalised) squared error is on normal windows: its surprise {@code -ln p}, where p is
 * the share of the normal validation windows whose error on that feature is at least as large. Below the 95th
 * percentile p comes from the validation errors' quantiles (every 5 %, linear between them); above it, from an
 * exponential tail fitted to the errors beyond that percentile (their mean excess, the peaks-over-threshold
 * estimate), so a window further out than any validation window still gets a larger surprise rather than the
 * rarest one seen. Surprises are comparable across features whatever their spread or tail: a rare template's
 * count that jumps now and then and a response time that barely moves both score about 3 at their own 95th
 * percentile.
 *
 * @param quantiles per feature, the errors at p = 0, 0.05, ..., 0.95 (the last is where the tail starts)
 * @param tailScale per feature, the mean excess of the errors beyond the tail start (floored, see {@link #fit})
 */
public record ErrorTails(double[][] quantiles, double[] tailScale) {

    /** Grid step of the quantiles. */
    static final double STEP = 0.05;
    static final int POINTS = 20;
    /** Share of the errors the exponential tail describes. */
    static final double TAIL = 1 - STEP * (POINTS - 1);
    /**
     * Least tail scale, in normalised squared-error units (about 1 on a normal window): a feature whose error
     * never moved on validation (a level that was never logged) would otherwise give a rounding error an
     * unbounded surprise.
     */
    static final double MIN_SCALE = 0.05;

    /** Fits the tails to the normal validation windows' errors: {@code errors[window][feature]}. */
    static ErrorTails fit(double[][] errors, int width) {
        if (errors.length == 0) {
            throw new IllegalArgumentException("no validation errors to fit the error tails on");
        }
        double[][] q = new double[width][POINTS];
        double[] scale = new double[width];
        double[] column = new double[errors.length];
        for (int j = 0; j < width; j++) {
            for (int i = 0; i < errors.length; i++) {
                column[i] = errors[i][j];
            }
            Arrays.sort(column);
            for (int g = 0; g < POINTS; g++) {
                q[j][g] = quantile(column, g * STEP);
            }
            double start = q[j][POINTS - 1];
            double excess = 0;
            int beyond = 0;
            for (double v : column) {
                if (v > start) {
                    excess += v - start;
                    beyond++;
                }
            }
            scale[j] = Math.max(MIN_SCALE, beyond == 0 ? 0 : excess / beyond);
        }
        return new ErrorTails(q, scale);
    }

    /** {@code -ln p} of feature {@code j}'s error {@code e}: 0 at or below its least validation error. */
    double surprise(int j, double e) {
        double[] q = quantiles[j];
        double start = q[POINTS - 1];
        if (e >= start) {
            return -Math.log(TAIL) + (e - start) / tailScale[j];
        }
        // the last grid point not above e: q[g] <= e < q[g + 1]
        int g = Arrays.binarySearch(q, e);
        if (g < 0) {
            g = -g - 2;
        } else {
            while (g + 1 < POINTS && q[g + 1] <= e) {
                g++;
            }
        }
        if (g < 0) {
            return 0;
        }
        double width = q[g + 1] - q[g];
        double below = STEP * (g + (width > 0 ? (e - q[g]) / width : 0));
        return -Math.log(1 - below);
    }

    boolean fits(int width) {
        if (quantiles == null || tailScale == null || quantiles.length != width || tailScale.length != width) {
            return false;
        }
        for (double[] q : quantiles) {
            if (q == null || q.length != POINTS) {
                return false;
            }
        }
        return true;
    }

    /** The value below which a share {@code p} of the sorted values lie (linear between neighbours). */
    private static double quantile(double[] sorted, double p) {
        double at = p * (sorted.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
    }
}
