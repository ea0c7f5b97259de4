package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.features.EventCountMatrix;
import io.anomalog.core.features.FeatureExtractor;
import org.ejml.data.DMatrixRMaj;

import java.nio.file.Path;

/**
 * {@code pca}: PCA on event-count vectors with the SPE / Q-statistic threshold. Parameters: {@code components}
 * (share of variance to keep when below 1, else a count; 0.95), {@code c-alpha} (normal quantile of the
 * Q-statistic; 3.2905 = 99.95 %), {@code weighting} (tf-idf-smooth; loglizer uses tf-idf, see docs/baselines.md), {@code normalization} (zero-mean),
 * {@code threshold} (a fixed SPE threshold instead of the Q-statistic; 0 = use the Q-statistic).
 */
public final class PcaProvider extends BaselineProvider {

    static final int VERSION = 1;

    public PcaProvider() {
        super("pca", false, VERSION, "PCA on event counts, squared prediction error vs Q-statistic (Xu et al. 2009)");
    }

    @Override
    protected BaselineTrainer.Fit configure(Params params) {
        double components = params.getDouble("components", 0.95);
        double cAlpha = params.getDouble("c-alpha", 3.2905);
        FeatureExtractor.Weighting weighting = FeatureExtractor.weighting(params.getString("weighting", "tf-idf-smooth"));
        FeatureExtractor.Normalization norm =
                FeatureExtractor.normalization(params.getString("normalization", "zero-mean"));
        double fixed = params.getDouble("threshold", 0);
        require(components > 0, "components must be positive");
        return (training, vocabulary, summary, progress) -> {
            double[][] counts = EventCountMatrix.of(training, vocabulary);
            FeatureExtractor fx = FeatureExtractor.fit(counts, weighting, norm);
            double[][] x = fx.transform(counts);
            int m = x[0].length;
            Linalg.Svd svd = Linalg.svd(Linalg.gram(x, x.length));
            double[] sigma = svd.values();
            int k = components >= 1 ? Math.min(m, (int) components) : componentsFor(sigma, components);
            DMatrixRMaj u = svd.u();
            double[][] principal = new double[k][m];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < m; j++) {
                    principal[c][j] = u.get(j, c);
                }
            }
            double threshold = fixed > 0 ? fixed : qStatistic(sigma, k, cAlpha);
            return new PcaDetector(manifest(params, vocabulary, summary),
                    new PcaDetector.Parameters(fx.state(), principal, threshold));
        };
    }

    /** The smallest number of components whose variance share reaches the target. */
    static int componentsFor(double[] sigma, double share) {
        double total = 0;
        for (double s : sigma) {
            total += s;
        }
        if (total <= 0) {
            return 0;
        }
        double acc = 0;
        for (int i = 0; i < sigma.length; i++) {
            acc += sigma[i];
            if (acc / total >= share) {
                return i + 1;
            }
        }
        return sigma.length;
    }

    /**
     * The Q-statistic threshold of the residual eigenvalues (Jackson and Mudholkar), as loglizer computes it.
     * When the residual subspace carries no variance at all, any residual is anomalous: the threshold is a
     * rounding-error bound.
     */
    static double qStatistic(double[] sigma, int k, double cAlpha) {
        double[] phi = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = k; j < sigma.length; j++) {
                phi[i] += Math.pow(sigma[j], i + 1);
            }
        }
        if (phi[0] <= 1e-12) {
            return 1e-9;
        }
        double h0 = 1.0 - 2 * phi[0] * phi[2] / (3.0 * phi[1] * phi[1]);
        double q = phi[0] * Math.pow(cAlpha * Math.sqrt(2 * phi[1] * h0 * h0) / phi[0] + 1.0
                + phi[1] * h0 * (h0 - 1) / (phi[0] * phi[0]), 1.0 / h0);
        return Double.isFinite(q) && q > 0 ? q : phi[0];
    }

    @Override
    protected Detector read(Path modelDir, ModelManifest manifest) {
        return new PcaDetector(manifest, ModelFiles.readParameters(modelDir, PcaDetector.Parameters.class));
    }

}
