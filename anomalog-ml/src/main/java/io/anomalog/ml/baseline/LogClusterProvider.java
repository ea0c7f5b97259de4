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
 * {@code weighting} (tf-idf-smooth; loglizer uses tf-idf, see docs/baselines.md). Clusters are built online as in loglizer's online mode: each normal training
 * vector joins the nearest cluster within max-dist (its centroid becomes the running mean) or starts a new one.
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
        FeatureExtractor.Weighting weighting = FeatureExtractor.weighting(params.getString("weighting", "tf-idf-smooth"));
        require(maxDist >= 0 && maxDist <= 1, "max-dist must be in [0, 1]");
        return (training, vocabulary, summary, progress) -> {
            double[][] counts = EventCountMatrix.of(training, vocabulary);
            FeatureExtractor fx = FeatureExtractor.fit(counts, weighting, FeatureExtractor.Normalization.NONE);
            List<double[]> centroids = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            for (double[] x : fx.transform(counts)) {
                double[] n = centroids.isEmpty() ? new double[]{-1, Double.MAX_VALUE}
                        : LogClusterDetector.nearest(centroids.toArray(double[][]::new), x);
                if (n[0] >= 0 && n[1] <= maxDist) {
                    int c = (int) n[0];
                    int size = sizes.get(c) + 1;
                    double[] centroid = centroids.get(c);
                    for (int j = 0; j < x.length; j++) {
                        centroid[j] += (x[j] - centroid[j]) / size;
                    }
                    sizes.set(c, size);
                } else {
                    centroids.add(x.clone());
                    sizes.add(1);
                }
            }
            summary.put("clusters", centroids.size());
            return new LogClusterDetector(manifest(params, vocabulary, summary), new LogClusterDetector.Parameters(
                    fx.state(), centroids.toArray(double[][]::new), sizes.stream().mapToInt(i -> i).toArray(),
                    threshold));
        };
    }

    @Override
    protected Detector read(Path modelDir, ModelManifest manifest) {
        return new LogClusterDetector(manifest, ModelFiles.readParameters(modelDir, LogClusterDetector.Parameters.class));
    }
}
