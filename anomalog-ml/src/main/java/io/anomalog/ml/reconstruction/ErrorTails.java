package io.anomalog.ml.reconstruction;

import java.util.Arrays;

/**
 * How rare a feature's (normalised) squared error is on normal windows: its surprise {@code -ln p}, where p is
 * the share of the normal validation windows whose error on that feature is at least as large. Below the 95th
 * percentile p comes from the validation errors' quantiles (every 5 %, linear between them); above it, from a
 * generalised Pareto tail fitted to the errors beyond that percentile (peaks over threshold; the shape from the
 * excesses' probability-weighted moments, which unlike their variance stay steady on a heavy tail), so a window
 * further out than any validation window still gets a larger surprise rather than the rarest one seen.
 *
 * <p>The shape lets a heavy tail stay heavy: the count of a rare template, which jumps by several now and then on
 * normal windows, gains surprise with the log of its excess instead of linearly, so its occasional normal jumps
 * do not set the threshold that a slow response time has to cross. Surprises are comparable across features
 * whatever their spread or tail: a rare template's count and a response time that barely moves both score about
 * 3 at their own 95th percentile.
 *
 * @param quantiles per feature, the errors at p = 0, 0.05, ..., 0.95 (the last is where the tail starts)
 * @param tailScale per feature, the Pareto scale of the errors beyond the tail start (floored, see {@link #fit}):
 *                  their mean excess when the shape is 0
 * @param tailShape per feature, the Pareto shape, between 0 (an exponential tail) and the largest one allowed
 */
public record ErrorTails(double[][] quantiles, double[] tailScale, double[] tailShape) {

    /** Grid step of the quantiles. */
    static final double STEP = 0.05;
    static final int POINTS = 20;
    /** Share of the errors the fitted tail describes. */
    static final double TAIL = 1 - STEP * (POINTS - 1);
    /**
     * Least tail scale, in normalised squared-error units (about 1 on a normal window): a feature whose error
     * never moved on validation (a level that was never logged) would otherwise give a rounding error an
     * unbounded surprise.
     */
    static final double MIN_SCALE = 0.05;

    /**
     * Fits the tails to the normal validation windows' errors: {@code errors[window][feature]}, with shapes at
     * most {@code maxShape} (below 1: at 1 the excesses would have no mean; 0 fits exponential tails). A negative
     * estimate (a tail shorter than exponential, with an end point) is raised to 0 so that no error is ever
     * impossible.
     */
    static ErrorTails fit(double[][] errors, int width, double maxShape) {
        if (!(maxShape >= 0 && maxShape < 1)) {
            throw new IllegalArgumentException("the largest tail shape must be at least 0 and below 1, got "
                    + maxShape);
        }
        if (errors.length == 0) {
            throw new IllegalArgumentException("no validation errors to fit the error tails on");
        }
        double[][] q = new double[width][POINTS];
        double[] scale = new double[width];
        double[] shape = new double[width];
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
            // the excesses, ascending, are the sorted column's values beyond the tail start
            int first = column.length;
            while (first > 0 && column[first - 1] > start) {
                first--;
            }
            int beyond = column.length - first;
            double a0 = 0;
            double a1 = 0;
            for (int i = 0; i < beyond; i++) {
                double y = column[first + i] - start;
                a0 += y;
                a1 += (1 - (i + 0.65) / beyond) * y;
            }
            a0 = beyond == 0 ? 0 : a0 / beyond;
            a1 = beyond == 0 ? 0 : a1 / beyond;
            // Hosking and Wallis (1987): shape = 2 - a0 / (a0 - 2 a1); 0 for an exponential excess
            double xi = a0 - 2 * a1 > 0 ? 2 - a0 / (a0 - 2 * a1) : 0;
            shape[j] = Math.max(0, Math.min(maxShape, xi));
            // the scale that keeps the excesses' mean: mean = scale / (1 - shape)
            scale[j] = Math.max(MIN_SCALE, a0 * (1 - shape[j]));
        }
        return new ErrorTails(q, scale, shape);
    }

    /** {@code -ln p} of feature {@code j}'s error {@code e}: 0 at or below its least validation error. */
    double surprise(int j, double e) {
        double[] q = quantiles[j];
        double start = q[POINTS - 1];
        if (e >= start) {
            double x = (e - start) / tailScale[j];
            double xi = tailShape[j];
            return -Math.log(TAIL) + (xi < 1e-9 ? x : Math.log1p(xi * x) / xi);
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
        if (quantiles == null || tailScale == null || tailShape == null || quantiles.length != width
                || tailScale.length != width || tailShape.length != width) {
            return false;
        }
        for (double[] q : quantiles) {
            if (q == null || q.length != POINTS) {
                return false;
            }
        }
        for (double xi : tailShape) {
            // a shape outside [0, 1) has no finite mean or an end point: the surprise would not mean -ln p
            if (!(xi >= 0 && xi < 1)) {
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
