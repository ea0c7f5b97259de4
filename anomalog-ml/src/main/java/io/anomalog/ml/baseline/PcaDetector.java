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
     * @param principal  the kept principal directions P, one unit vector per row (components x width)
     * @param threshold  the SPE threshold
     */
    record Parameters(FeatureExtractor.State features, double[][] principal, double threshold) {
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

    /**
     * The squared prediction error of a feature vector, ||x - P^T P x||^2, and the column contributing most. Costs
     * O(width x components) instead of the O(width^2) of the full residual projection.
     */
    private double[] spe(double[] x) {
        double[][] pc = p.principal();
        double[] residual = x.clone();
        for (double[] direction : pc) {
            double dot = 0;
            for (int j = 0; j < x.length; j++) {
                dot += direction[j] * x[j];
            }
            for (int j = 0; j < x.length; j++) {
                residual[j] -= dot * direction[j];
            }
        }
        double spe = 0;
        int worstCol = 0;
        for (int j = 0; j < residual.length; j++) {
            double r2 = residual[j] * residual[j];
            spe += r2;
            if (r2 > residual[worstCol] * residual[worstCol]) {
                worstCol = j;
            }
        }
        return new double[]{spe, worstCol};
    }

    @Override
    public Verdict score(Sequence sequence) {
        double[] x = features.transform(EventCountMatrix.counts(sequence, vocabulary));
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
