package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.features.EventCountMatrix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code iforest}: isolation forest on raw event counts. Parameters: {@code trees} (100), {@code sample-size}
 * (psi, 256), {@code threshold} (0.5, the score the original paper and scikit-learn's "auto" offset treat as the
 * boundary), {@code contamination} (0 = use the threshold; a share in (0, 1) instead sets the threshold so that
 * this share of the training sequences scores above it, loglizer's setting for unlabelled training data),
 * {@code seed} (42).
 */
public final class IsolationForestProvider extends BaselineProvider {

    static final int VERSION = 1;

    public IsolationForestProvider() {
        super("iforest", false, VERSION, "Isolation forest on event counts (Liu et al. 2008)");
    }

    @Override
    protected BaselineTrainer.Fit configure(Params params) {
        int trees = params.getInt("trees", 100);
        int sampleSize = params.getInt("sample-size", 256);
        double threshold = params.getDouble("threshold", 0.5);
        double contamination = params.getDouble("contamination", 0);
        long seed = params.getLong("seed", 42);
        require(trees > 0, "trees must be positive");
        require(sampleSize > 1, "sample-size must be at least 2");
        require(contamination >= 0 && contamination < 1, "contamination must be in [0, 1)");
        return (training, vocabulary, summary, progress) -> {
            double[][] x = EventCountMatrix.of(training, vocabulary);
            if (x.length < 2) {
                throw new io.anomalog.core.util.AnomalogException(
                        "iforest needs at least 2 training sequences, got " + x.length);
            }
            int psi = Math.min(sampleSize, x.length);
            int heightLimit = (int) Math.ceil(Math.log(Math.max(psi, 2)) / Math.log(2));
            SplittableRandom rng = new SplittableRandom(seed);
            List<IsolationForestDetector.Tree> forest = new ArrayList<>();
            for (int t = 0; t < trees; t++) {
                int[] sample = sample(x.length, psi, rng);
                forest.add(new TreeBuilder(x, rng, heightLimit).build(sample));
            }
            IsolationForestDetector.Parameters fitted = new IsolationForestDetector.Parameters(forest, psi, threshold);
            if (contamination > 0) {
                // loglizer's setting: the threshold flags the given share of the (unlabelled) training data
                IsolationForestDetector probe = new IsolationForestDetector(manifest(params, vocabulary, summary), fitted);
                double[] scores = java.util.Arrays.stream(x).mapToDouble(probe::anomalyScore).sorted().toArray();
                double cut = scores[(int) Math.floor((1 - contamination) * (scores.length - 1))];
                fitted = new IsolationForestDetector.Parameters(forest, psi, cut);
                summary.put("threshold from contamination", cut);
            }
            return new IsolationForestDetector(manifest(params, vocabulary, summary), fitted);
        };
    }

    /** psi distinct row indices, drawn without replacement (partial Fisher-Yates). */
    private static int[] sample(int n, int psi, SplittableRandom rng) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < psi; i++) {
            int j = i + rng.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, psi);
    }

    /** Grows one isolation tree into growable arrays. */
    private static final class TreeBuilder {
        private final double[][] x;
        private final SplittableRandom rng;
        private final int heightLimit;
        private final List<int[]> links = new ArrayList<>();    // feature, left, right, size
        private final List<Double> splits = new ArrayList<>();

        TreeBuilder(double[][] x, SplittableRandom rng, int heightLimit) {
            this.x = x;
            this.rng = rng;
            this.heightLimit = heightLimit;
        }

        IsolationForestDetector.Tree build(int[] rows) {
            grow(rows, 0);
            int n = links.size();
            int[] feature = new int[n];
            int[] left = new int[n];
            int[] right = new int[n];
            int[] size = new int[n];
            double[] split = new double[n];
            for (int i = 0; i < n; i++) {
                int[] l = links.get(i);
                feature[i] = l[0];
                left[i] = l[1];
                right[i] = l[2];
                size[i] = l[3];
                split[i] = splits.get(i);
            }
            return new IsolationForestDetector.Tree(feature, split, left, right, size);
        }

        private int grow(int[] rows, int depth) {
            int node = links.size();
            links.add(new int[]{-1, -1, -1, rows.length});
            splits.add(0.0);
            if (depth >= heightLimit || rows.length <= 1) {
                return node;
            }
            // choose among the features that vary in this node; none varies: the rows are identical, a leaf
            int width = x[0].length;
            int[] varying = new int[width];
            int nv = 0;
            for (int f = 0; f < width; f++) {
                double lo = x[rows[0]][f];
                for (int r : rows) {
                    if (x[r][f] != lo) {
                        varying[nv++] = f;
                        break;
                    }
                }
            }
            if (nv == 0) {
                return node;
            }
            int f = varying[rng.nextInt(nv)];
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (int r : rows) {
                lo = Math.min(lo, x[r][f]);
                hi = Math.max(hi, x[r][f]);
            }
            double split = lo + rng.nextDouble() * (hi - lo);
            if (split <= lo) {
                split = Math.nextUp(lo);
            }
            int nl = 0;
            for (int r : rows) {
                if (x[r][f] < split) {
                    nl++;
                }
            }
            int[] l = new int[nl];
            int[] rr = new int[rows.length - nl];
            int a = 0;
            int b = 0;
            for (int r : rows) {
                if (x[r][f] < split) {
                    l[a++] = r;
                } else {
                    rr[b++] = r;
                }
            }
            int leftNode = grow(l, depth + 1);
            int rightNode = grow(rr, depth + 1);
            links.set(node, new int[]{f, leftNode, rightNode, rows.length});
            splits.set(node, split);
            return node;
        }
    }

    @Override
    protected Detector read(Path modelDir, ModelManifest manifest) {
        return new IsolationForestDetector(manifest,
                ModelFiles.readParameters(modelDir, IsolationForestDetector.Parameters.class));
    }
}
