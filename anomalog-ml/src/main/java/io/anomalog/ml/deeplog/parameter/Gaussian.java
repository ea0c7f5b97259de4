package io.anomalog.ml.deeplog.parameter;

/**
 * A normal distribution fitted to values, and the bound of its confidence interval: a value is normal when it lies
 * within {@code mean +- z * sd}, with {@code z = Phi^-1((1 + confidence) / 2)} (two-sided; for confidence 0.999,
 * z = 3.2905). Prediction errors are never negative, so only the upper bound {@code mean + z * sd} matters for them.
 *
 * @param mean the values' mean
 * @param sd   their standard deviation (population, divided by n)
 */
public record Gaussian(double mean, double sd) {

    /** Fits the values (at least one). */
    public static Gaussian fit(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double sq = 0;
        for (double v : values) {
            sq += (v - mean) * (v - mean);
        }
        return new Gaussian(mean, Math.sqrt(sq / values.length));
    }

    /** The upper bound of the two-sided interval holding {@code confidence} of the distribution. */
    public double upperBound(double confidence) {
        return mean + z(confidence) * sd;
    }

    /** {@code Phi^-1((1 + confidence) / 2)}: how many standard deviations the interval reaches either side. */
    public static double z(double confidence) {
        return inverseNormal((1 + confidence) / 2);
    }

    /**
     * The standard normal quantile (P. J. Acklam's rational approximation, relative error below 1.2e-9).
     */
    public static double inverseNormal(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("probability must be in (0, 1): " + p);
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        double x;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else if (p <= 1 - low) {
            double q = p - 0.5;
            double r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        } else {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        return x;
    }
}
