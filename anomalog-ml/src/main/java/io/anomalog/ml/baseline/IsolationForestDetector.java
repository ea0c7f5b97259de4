package io.anomalog.ml.baseline;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.features.EventCountMatrix;
import io.anomalog.core.session.Sequence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Isolation forest (Liu, Ting and Zhou, ICDM 2008) on event-count vectors: random axis-parallel splits isolate
 * rare vectors in few steps. The score is {@code 2^(-E[h(x)] / c(psi))}, about 0.5 or less for ordinary vectors
 * and towards 1 for ones isolated early; a sequence is anomalous when the score exceeds the threshold.
 */
final class IsolationForestDetector extends BaselineDetector {

    /**
     * One tree in arrays; node 0 is the root. A node with feature -1 is a leaf holding {@code size} samples.
     */
    record Tree(int[] feature, double[] split, int[] left, int[] right, int[] size) {

        double pathLength(double[] x) {
            int node = 0;
            int depth = 0;
            while (feature[node] >= 0) {
                node = x[feature[node]] < split[node] ? left[node] : right[node];
                depth++;
            }
            return depth + averagePath(size[node]);
        }
    }

    /**
     * Saved parameters.
     *
     * @param trees      the forest
     * @param sampleSize samples per tree (psi)
     * @param threshold  score above which a sequence is anomalous
     */
    record Parameters(List<Tree> trees, int sampleSize, double threshold) {
    }

    private final Parameters p;
    private final KeyVocabulary vocabulary;

    IsolationForestDetector(ModelManifest manifest, Parameters p) {
        super(manifest);
        this.p = p;
        this.vocabulary = manifest.keyVocabulary();
    }

    /** c(n): the average path length of an unsuccessful binary-search-tree search among n items. */
    static double averagePath(int n) {
        if (n <= 1) {
            return 0;
        }
        if (n == 2) {
            return 1;
        }
        return 2 * (Math.log(n - 1.0) + 0.5772156649) - 2.0 * (n - 1) / n;
    }

    double anomalyScore(double[] x) {
        double sum = 0;
        for (Tree t : p.trees()) {
            sum += t.pathLength(x);
        }
        return Math.pow(2, -(sum / p.trees().size()) / averagePath(p.sampleSize()));
    }

    @Override
    public Verdict score(Sequence sequence) {
        double s = anomalyScore(EventCountMatrix.counts(sequence, vocabulary));
        boolean anomalous = s > p.threshold();
        String why = String.format(Locale.ROOT, "isolation score %.3f %s %.3f", s, anomalous ? ">" : "<=",
                p.threshold());
        return new Verdict(sequence.id(), anomalous, s, new BaselineExplanation(why, s, p.threshold()));
    }

    @Override
    protected void writeParameters(Path modelDir) throws IOException {
        ModelFiles.writeParameters(modelDir, p);
    }
}
