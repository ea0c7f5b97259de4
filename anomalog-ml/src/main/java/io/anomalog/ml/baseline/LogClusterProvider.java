package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.features.EventCountMatrix;
import io.anomalog.core.features.FeatureExtractor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code logcluster}: Log Clustering. Parameters: {@code max-dist} (largest cosine distance at which a training
 * session joins a cluster; 0.3), {@code threshold} (distance above which a sequence is anomalous; 0.3),
 * {@code weighting} (tf-idf-smooth; loglizer uses tf-idf, see docs/baselines.md), {@code bootstrap} (1000).
 * Clusters are built as in loglizer's online mode: the first {@code bootstrap} training vectors are clustered
 * offline (complete linkage cut at max-dist); every later vector joins the nearest cluster within max-dist (its
 * centroid becomes the running mean) or starts a new one.
 */
public final class LogClusterProvider extends BaselineProvider {

    static final int VERSION = 1;

    public LogClusterProvider() {
        super("logcluster", false, VERSION,
                "Log Clustering: cosine distance to a knowledge base of normal clusters (Lin et al. 2016)");
    }

    @Override
    protected BaselineTrainer.Fit configure(Params params) {
        double maxDist = params.getDouble("max-dist", 0.3);
        double threshold = params.getDouble("threshold", 0.3);
        int bootstrap = params.getInt("bootstrap", 1000);
        FeatureExtractor.Weighting weighting = FeatureExtractor.weighting(params.getString("weighting", "tf-idf-smooth"));
        require(maxDist >= 0 && maxDist <= 1, "max-dist must be in [0, 1]");
        require(bootstrap >= 0, "bootstrap must be 0 or positive");
        return (training, vocabulary, summary, progress) -> {
            double[][] counts = EventCountMatrix.of(training, vocabulary);
            FeatureExtractor fx = FeatureExtractor.fit(counts, weighting, FeatureExtractor.Normalization.NONE);
            double[][] x = fx.transform(counts);
            int first = Math.min(bootstrap, x.length);
            List<double[]> centroids = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            completeLinkage(java.util.Arrays.copyOf(x, first), maxDist, centroids, sizes);
            for (int i = first; i < x.length; i++) {
                double[] n = centroids.isEmpty() ? new double[]{-1, Double.MAX_VALUE}
                        : LogClusterDetector.nearest(centroids.toArray(double[][]::new), x[i]);
                if (n[0] >= 0 && n[1] <= maxDist) {
                    int c = (int) n[0];
                    int size = sizes.get(c) + 1;
                    double[] centroid = centroids.get(c);
                    for (int j = 0; j < x[i].length; j++) {
                        centroid[j] += (x[i][j] - centroid[j]) / size;
                    }
                    sizes.set(c, size);
                } else {
                    centroids.add(x[i].clone());
                    sizes.add(1);
                }
            }
            summary.put("clusters", centroids.size());
            return new LogClusterDetector(manifest(params, vocabulary, summary), new LogClusterDetector.Parameters(
                    fx.state(), centroids.toArray(double[][]::new), sizes.stream().mapToInt(i -> i).toArray(),
                    threshold));
        };
    }

    /**
     * Offline agglomerative clustering with complete linkage, cut at {@code maxDist} (loglizer's bootstrap,
     * scipy's {@code linkage(..., 'complete')} + {@code fcluster(..., criterion='distance')}). Identical vectors
     * are at distance 0 and always end in one cluster, so the work runs on distinct vectors; centroids are the
     * means over all rows. Appends the clusters to the given lists.
     */
    static void completeLinkage(double[][] rows, double maxDist, List<double[]> centroids, List<Integer> sizes) {
        java.util.Map<java.util.List<Double>, Integer> index = new java.util.LinkedHashMap<>();
        List<double[]> distinct = new ArrayList<>();
        List<Integer> weight = new ArrayList<>();
        for (double[] row : rows) {
            java.util.List<Double> key = java.util.Arrays.stream(row).boxed().toList();
            Integer i = index.putIfAbsent(key, distinct.size());
            if (i == null) {
                distinct.add(row);
                weight.add(1);
            } else {
                weight.set(i, weight.get(i) + 1);
            }
        }
        int n = distinct.size();
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d[i][j] = d[j][i] = LogClusterDetector.distance(distinct.get(i), distinct.get(j));
            }
        }
        int[] clusterOf = new int[n];
        boolean[] alive = new boolean[n];
        for (int i = 0; i < n; i++) {
            clusterOf[i] = i;
            alive[i] = true;
        }
        while (true) {
            double best = Double.MAX_VALUE;
            int bi = -1;
            int bj = -1;
            for (int i = 0; i < n; i++) {
                if (!alive[i]) {
                    continue;
                }
                for (int j = i + 1; j < n; j++) {
                    if (alive[j] && d[i][j] < best) {
                        best = d[i][j];
                        bi = i;
                        bj = j;
                    }
                }
            }
            if (bi < 0 || best > maxDist) {
                break;
            }
            // complete linkage: the merged cluster is as far from k as its farther part
            for (int k = 0; k < n; k++) {
                d[bi][k] = d[k][bi] = Math.max(d[bi][k], d[bj][k]);
            }
            alive[bj] = false;
            for (int i = 0; i < n; i++) {
                if (clusterOf[i] == bj) {
                    clusterOf[i] = bi;
                }
            }
        }
        int width = rows.length == 0 ? 0 : rows[0].length;
        java.util.Map<Integer, double[]> sum = new java.util.TreeMap<>();
        java.util.Map<Integer, Integer> count = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            double[] acc = sum.computeIfAbsent(clusterOf[i], c -> new double[width]);
            for (int j = 0; j < width; j++) {
                acc[j] += weight.get(i) * distinct.get(i)[j];
            }
            count.merge(clusterOf[i], weight.get(i), Integer::sum);
        }
        for (var e : sum.entrySet()) {
            int c = count.get(e.getKey());
            double[] centroid = e.getValue();
            for (int j = 0; j < width; j++) {
                centroid[j] /= c;
            }
            centroids.add(centroid);
            sizes.add(c);
        }
    }

    @Override
    protected Detector read(Path modelDir, ModelManifest manifest) {
        return new LogClusterDetector(manifest, ModelFiles.readParameters(modelDir, LogClusterDetector.Parameters.class));
    }
}
