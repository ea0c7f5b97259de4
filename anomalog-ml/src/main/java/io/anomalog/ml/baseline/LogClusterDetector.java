package io.anomalog.ml.baseline;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.features.EventCountMatrix;
import io.anomalog.core.features.FeatureExtractor;
import io.anomalog.core.session.Sequence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Log Clustering detector (Lin et al., ICSE 2016, as in loglizer's LogClustering): a knowledge base of clusters
 * of normal sessions (centroids of TF-IDF weighted count vectors); the score of a sequence is its cosine
 * distance to the nearest centroid, and it is anomalous when that distance exceeds the anomaly threshold.
 */
final class LogClusterDetector extends BaselineDetector {

    /**
     * Saved parameters.
     *
     * @param features  the fitted feature extractor
     * @param centroids cluster centroids of the normal knowledge base
     * @param sizes     training sessions per cluster
     * @param threshold distance above which a sequence is anomalous
     */
    record Parameters(FeatureExtractor.State features, double[][] centroids, int[] sizes, double threshold) {
    }

    private final Parameters p;
    private final FeatureExtractor features;
    private final KeyVocabulary vocabulary;

    LogClusterDetector(ModelManifest manifest, Parameters p) {
        super(manifest);
        this.p = p;
        this.features = FeatureExtractor.of(p.features());
        this.vocabulary = manifest.keyVocabulary();
    }

    /** 1 - cosine similarity; two zero vectors are at distance 0, a zero and a non-zero vector at 1. */
    static double distance(double[] a, double[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return na == 0 && nb == 0 ? 0 : 1;
        }
        return Math.max(0, 1 - dot / Math.sqrt(na * nb));
    }

    /** Index of the nearest centroid and its distance. */
    static double[] nearest(double[][] centroids, double[] x) {
        double best = Double.MAX_VALUE;
        int at = -1;
        for (int c = 0; c < centroids.length; c++) {
            double d = distance(centroids[c], x);
            if (d < best) {
                best = d;
                at = c;
            }
        }
        return new double[]{at, best};
    }

    @Override
    public Verdict score(Sequence sequence) {
        double[] x = features.transform(EventCountMatrix.counts(sequence, vocabulary));
        double[] n = nearest(p.centroids(), x);
        boolean anomalous = n[1] > p.threshold();
        String why = String.format(Locale.ROOT, "distance %.3f to nearest normal cluster #%d (%d sessions) %s %.3f",
                n[1], (int) n[0], p.sizes()[(int) n[0]], anomalous ? ">" : "<=", p.threshold());
        return new Verdict(sequence.id(), anomalous, n[1], new BaselineExplanation(why, n[1], p.threshold()));
    }

    @Override
    protected void writeParameters(Path modelDir) throws IOException {
        ModelFiles.writeParameters(modelDir, p);
    }
}
