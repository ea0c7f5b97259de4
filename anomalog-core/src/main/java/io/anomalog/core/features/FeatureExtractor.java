package io.anomalog.core.features;

import java.util.Arrays;
import java.util.Locale;

/**
 * Turns event-count vectors into the feature vectors classic detectors learn from, as loglizer's
 * {@code FeatureExtractor} does: optional TF-IDF term weighting, then optional normalisation.
 * <ul>
 *   <li>TF-IDF: column j is multiplied by {@code idf_j = log(N / df_j)}, where df_j is the number of training
 *   rows in which key j occurs. A key occurring in every session weighs 0; rare keys weigh most. A key never seen
 *   in training counts as seen once (loglizer drops such keys; keeping them lets new templates count).</li>
 *   <li>Smoothed TF-IDF (scikit-learn's {@code smooth_idf}): {@code idf_j = log((1 + N) / (1 + df_j)) + 1}, at
 *   least 1, so a key present in every training session keeps its count. This matters when training data are
 *   all normal: plain TF-IDF then erases exactly the keys whose missing occurrences mark a truncated session.</li>
 *   <li>Zero-mean: the training column means are subtracted (PCA needs centred data).</li>
 *   <li>Sigmoid: every non-zero value x becomes 1 / (1 + e^-x).</li>
 * </ul>
 * Fitted on training rows only; the fitted state is a plain record that models save with their parameters.
 * Immutable and thread-safe.
 */
public final class FeatureExtractor {

    /** Term weighting of the counts. */
    public enum Weighting { NONE, TF_IDF, TF_IDF_SMOOTH }

    /** Normalisation after weighting. */
    public enum Normalization { NONE, ZERO_MEAN, SIGMOID }

    /**
     * What a fitted extractor needs to transform new vectors; saved inside model files.
     *
     * @param weighting     term weighting
     * @param normalization normalisation
     * @param idf           per-column weights (all 1 without TF-IDF)
     * @param mean          per-column means of the weighted training rows (all 0 unless zero-mean)
     */
    public record State(Weighting weighting, Normalization normalization, double[] idf, double[] mean) {
    }

    private final State state;

    private FeatureExtractor(State state) {
        this.state = state;
    }

    public static FeatureExtractor of(State state) {
        if (state.idf().length != state.mean().length) {
            throw new IllegalArgumentException("idf and mean lengths differ");
        }
        return new FeatureExtractor(state);
    }

    /** Parses "none", "tf-idf", "zero-mean", "sigmoid" as given in {@code --param} values. */
    public static Weighting weighting(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "none" -> Weighting.NONE;
            case "tf-idf", "tfidf" -> Weighting.TF_IDF;
            case "tf-idf-smooth" -> Weighting.TF_IDF_SMOOTH;
            default -> throw new IllegalArgumentException("unknown weighting '" + name
                    + "' (none, tf-idf, tf-idf-smooth)");
        };
    }

    public static Normalization normalization(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "none" -> Normalization.NONE;
            case "zero-mean" -> Normalization.ZERO_MEAN;
            case "sigmoid" -> Normalization.SIGMOID;
            default -> throw new IllegalArgumentException("unknown normalization '" + name
                    + "' (none, zero-mean, sigmoid)");
        };
    }

    /** Fits weights and means on training count rows (all of the same width). */
    public static FeatureExtractor fit(double[][] counts, Weighting weighting, Normalization normalization) {
        if (counts.length == 0) {
            throw new IllegalArgumentException("no training rows");
        }
        int width = counts[0].length;
        double[] idf = new double[width];
        Arrays.fill(idf, 1.0);
        if (weighting != Weighting.NONE) {
            double[] df = new double[width];
            for (double[] row : counts) {
                for (int j = 0; j < width; j++) {
                    if (row[j] > 0) {
                        df[j]++;
                    }
                }
            }
            for (int j = 0; j < width; j++) {
                idf[j] = weighting == Weighting.TF_IDF ? Math.log(counts.length / Math.max(df[j], 1.0))
                        : Math.log((1.0 + counts.length) / (1.0 + df[j])) + 1;
            }
        }
        double[] mean = new double[width];
        if (normalization == Normalization.ZERO_MEAN) {
            for (double[] row : counts) {
                for (int j = 0; j < width; j++) {
                    mean[j] += row[j] * idf[j];
                }
            }
            for (int j = 0; j < width; j++) {
                mean[j] /= counts.length;
            }
        }
        return new FeatureExtractor(new State(weighting, normalization, idf, mean));
    }

    public State state() {
        return state;
    }

    public int width() {
        return state.idf().length;
    }

    /** The feature vector of one count row (a new array). */
    public double[] transform(double[] counts) {
        if (counts.length != width()) {
            throw new IllegalArgumentException(counts.length + " columns, extractor fitted on " + width());
        }
        double[] idf = state.idf();
        double[] mean = state.mean();
        double[] out = new double[counts.length];
        for (int j = 0; j < out.length; j++) {
            double x = counts[j] * idf[j] - mean[j];
            if (state.normalization() == Normalization.SIGMOID && x != 0) {
                x = 1 / (1 + Math.exp(-x));
            }
            out[j] = x;
        }
        return out;
    }

    public double[][] transform(double[][] counts) {
        double[][] out = new double[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            out[i] = transform(counts[i]);
        }
        return out;
    }
}
