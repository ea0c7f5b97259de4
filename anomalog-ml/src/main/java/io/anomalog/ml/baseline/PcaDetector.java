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
 * PCA detector (Xu et al., SOSP 2009, as in loglizer): the normal subspace is spanned by the principal
 * components that explain the chosen share of variance of the weighted, centred event-count vectors; the score
 * of a sequence is its squared prediction error (SPE), the squared length of its projection onto the residual
 * subspace. It is anomalous when the SPE exceeds the Q-statistic threshold (Jackson and Mudholkar, 1979).
 */
final class PcaDetector extends BaselineDetector {

    /**
     * Saved parameters.
     *
     * @param features   the fitted feature extractor
     * @param residual   the residual projection I - P P^T, row-major
     * @param components number of principal components kept
     * @param threshold  the SPE threshold
     */
    record Parameters(FeatureExtractor.State features, double[][] residual, int components, double threshold) {
    }

    private final Parameters p;
    private final FeatureExtractor features;
    private final KeyVocabulary vocabulary;

    PcaDetector(ModelManifest manifest, Parameters p) {
        super(manifest);
        this.p = p;
        this.features = FeatureExtractor.of(p.features());
        this.vocabulary = manifest.keyVocabulary();
    }

    Parameters parameters() {
        return p;
    }

    /** The squared prediction error of a feature vector, and the column contributing most. */
    private double[] spe(double[] x) {
        double spe = 0;
        double worst = -1;
        int worstCol = 0;
        for (int i = 0; i < x.length; i++) {
            double y = 0;
            double[] row = p.residual()[i];
            for (int j = 0; j < x.length; j++) {
                y += row[j] * x[j];
            }
            spe += y * y;
            if (y * y > worst) {
                worst = y * y;
                worstCol = i;
            }
        }
        return new double[]{spe, worstCol};
    }

    @Override
    public Verdict score(Sequence sequence) {
        double[] x = features.transform(EventCountMatrix.counts(sequence.keys(), vocabulary));
        double[] r = spe(x);
        boolean anomalous = r[0] > p.threshold();
        String why = String.format(Locale.ROOT, "SPE %.4g %s threshold %.4g; largest residual on %s", r[0],
                anomalous ? ">" : "<=", p.threshold(), EventCountMatrix.columnName((int) r[1], vocabulary));
        return new Verdict(sequence.id(), anomalous, r[0], new BaselineExplanation(why, r[0], p.threshold()));
    }

    @Override
    protected void writeParameters(Path modelDir) throws IOException {
        ModelFiles.writeParameters(modelDir, p);
    }
}
