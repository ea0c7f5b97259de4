package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.features.EventCountMatrix;
import org.ejml.data.DMatrixRMaj;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code invariants}: Invariant Mining on raw event counts. Parameters: {@code percentage} (share of training
 * sessions an invariant must fit; 0.98), {@code epsilon} (largest residual that still fits; 0.5),
 * {@code max-length} (most events in one invariant; 3), {@code scales} (multipliers tried when turning a real
 * null vector into integers; "1,2,3"), {@code max-candidates} (the search gives up after this many column
 * subsets, which bounds training time on vocabularies of hundreds of keys; 500,000).
 *
 * <p>Mining follows Lou et al.: (1) the dimension r of the invariant space is the number of right singular
 * vectors of the count matrix, smallest singular value first, that fit the training sessions; (2) column
 * subsets of growing size (from 2, as loglizer does) are searched, skipping supersets of found invariants, and a
 * subset's candidate is the singular vector of its smallest singular value, scaled to small integers; the search
 * stops when r invariants are found. Keys never seen in training give the invariant count(key) = 0 directly.
 */
public final class InvariantsProvider extends BaselineProvider {

    static final int VERSION = 1;

    public InvariantsProvider() {
        super("invariants", false, VERSION,
                "Invariant Mining: sparse integer relations among event counts (Lou et al. 2010)");
    }

    @Override
    protected BaselineTrainer.Fit configure(Params params) {
        double percentage = params.getDouble("percentage", 0.98);
        double epsilon = params.getDouble("epsilon", 0.5);
        int maxLength = params.getInt("max-length", 3);
        String scalesText = params.getString("scales", "1,2,3");
        int maxCandidates = params.getInt("max-candidates", 500_000);
        int[] scales;
        try {
            scales = Arrays.stream(scalesText.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("scales must be comma-separated integers, got '" + scalesText + "'");
        }
        require(percentage > 0 && percentage <= 1, "percentage must be in (0, 1]");
        require(epsilon > 0, "epsilon must be positive");
        require(maxLength >= 1, "max-length must be at least 1");
        return (training, vocabulary, summary, progress) -> {
            Rows rows = Rows.of(EventCountMatrix.of(training, vocabulary));
            Miner miner = new Miner(rows, percentage, epsilon, scales);
            int dimension = miner.invariantSpaceDimension();
            List<InvariantsDetector.Invariant> found = miner.search(dimension, maxLength, maxCandidates);
            summary.put("invariant space dimension", dimension);
            summary.put("candidates tried", miner.tried());
            summary.put("invariants", found.size());
            return new InvariantsDetector(manifest(params, vocabulary, summary),
                    new InvariantsDetector.Parameters(found, epsilon, dimension));
        };
    }

    @Override
    protected Detector read(Path modelDir, ModelManifest manifest) {
        return new InvariantsDetector(manifest, ModelFiles.readParameters(modelDir, InvariantsDetector.Parameters.class));
    }

    /** Distinct count rows with their multiplicities: HDFS sessions repeat a few patterns thousands of times. */
    record Rows(double[][] distinct, double[] weight, double total, int width) {

        static Rows of(double[][] counts) {
            Map<String, Integer> index = new HashMap<>();
            List<double[]> distinct = new ArrayList<>();
            List<Double> weight = new ArrayList<>();
            for (double[] row : counts) {
                Integer i = index.putIfAbsent(Arrays.toString(row), distinct.size());
                if (i == null) {
                    distinct.add(row);
                    weight.add(1.0);
                } else {
                    weight.set(i, weight.get(i) + 1);
                }
            }
            return new Rows(distinct.toArray(double[][]::new), weight.stream().mapToDouble(Double::doubleValue).toArray(),
                    counts.length, counts[0].length);
        }

        /** Weighted Gram matrix X^T X. */
        DMatrixRMaj gram() {
            DMatrixRMaj g = new DMatrixRMaj(width, width);
            for (int r = 0; r < distinct.length; r++) {
                double[] x = distinct[r];
                for (int i = 0; i < width; i++) {
                    if (x[i] == 0) {
                        continue;
                    }
                    for (int j = 0; j < width; j++) {
                        g.add(i, j, weight[r] * x[i] * x[j]);
                    }
                }
            }
            return g;
        }
    }

    /** The invariant search over one training count matrix. */
    static final class Miner {
        private final Rows rows;
        private final double percentage;
        private final double epsilon;
        private final int[] scales;
        private final DMatrixRMaj gram;
        private final boolean[] active;
        private final int[][] rowsWith;   // column -> distinct rows where it is non-zero
        private long tried;

        Miner(Rows rows, double percentage, double epsilon, int[] scales) {
            this.rows = rows;
            this.percentage = percentage;
            this.epsilon = epsilon;
            this.scales = scales;
            this.gram = rows.gram();
            this.active = new boolean[rows.width()];
            List<List<Integer>> with = new ArrayList<>();
            for (int j = 0; j < rows.width(); j++) {
                with.add(new ArrayList<>());
            }
            for (int r = 0; r < rows.distinct().length; r++) {
                double[] x = rows.distinct()[r];
                for (int j = 0; j < x.length; j++) {
                    if (x[j] != 0) {
                        active[j] = true;
                        with.get(j).add(r);
                    }
                }
            }
            this.rowsWith = with.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                    .toArray(int[][]::new);
        }

        long tried() {
            return tried;
        }

        /**
         * Share of training rows on which sum(v_j x_j) stays within epsilon. Rows where every column of the
         * subset is zero fit trivially, so only rows touching the subset are checked.
         */
        private double fit(int[] cols, double[] v) {
            java.util.BitSet touched = new java.util.BitSet(rows.distinct().length);
            for (int c : cols) {
                for (int r : rowsWith[c]) {
                    touched.set(r);
                }
            }
            double touchedWeight = 0;
            double ok = 0;
            for (int r = touched.nextSetBit(0); r >= 0; r = touched.nextSetBit(r + 1)) {
                double s = 0;
                for (int i = 0; i < cols.length; i++) {
                    s += v[i] * rows.distinct()[r][cols[i]];
                }
                touchedWeight += rows.weight()[r];
                if (Math.abs(s) < epsilon) {
                    ok += rows.weight()[r];
                }
            }
            return (rows.total() - touchedWeight + ok) / rows.total();
        }

        /** Number of right singular vectors, smallest singular value first, that fit the training rows. */
        int invariantSpaceDimension() {
            int[] cols = activeColumns();
            if (cols.length == 0) {
                return 0;
            }
            Linalg.Svd svd = Linalg.svd(sub(cols));
            int r = 0;
            for (int c = cols.length - 1; c >= 0; c--) {
                double[] v = new double[cols.length];
                for (int i = 0; i < cols.length; i++) {
                    v[i] = svd.v().get(i, c);
                }
                if (fit(cols, v) >= percentage) {
                    r++;
                } else {
                    break;
                }
            }
            return r;
        }

        List<InvariantsDetector.Invariant> search(int dimension, int maxLength, int maxCandidates) {
            List<InvariantsDetector.Invariant> found = new ArrayList<>();
            for (int j = 0; j < active.length; j++) {
                if (!active[j]) {
                    found.add(new InvariantsDetector.Invariant(new int[]{j}, new int[]{1}));
                }
            }
            int[] cols = activeColumns();
            List<int[]> supports = new ArrayList<>();
            int mined = 0;
            for (int size = 2; size <= Math.min(maxLength, cols.length) && mined < dimension; size++) {
                for (int[] subset : combinations(cols, size)) {
                    if (mined >= dimension || tried >= maxCandidates) {
                        break;
                    }
                    if (containsAny(subset, supports)) {
                        continue;
                    }
                    tried++;
                    int[] coefficients = candidate(subset);
                    if (coefficients != null) {
                        found.add(new InvariantsDetector.Invariant(subset, coefficients));
                        supports.add(subset);
                        mined++;
                    }
                }
            }
            return found;
        }

        /** Integer coefficients of the subset's best null vector that fit the training rows, or null. */
        private int[] candidate(int[] subset) {
            Linalg.Svd svd = Linalg.svd(sub(subset));
            double[] v = new double[subset.length];
            double minAbs = Double.MAX_VALUE;
            for (int i = 0; i < subset.length; i++) {
                v[i] = svd.v().get(i, subset.length - 1);
                if (Math.abs(v[i]) < 1e-6) {
                    return null; // a zero coefficient: a smaller subset holds the relation
                }
                minAbs = Math.min(minAbs, Math.abs(v[i]));
            }
            for (int scale : scales) {
                int[] coefficients = new int[subset.length];
                double[] asDouble = new double[subset.length];
                boolean zero = false;
                for (int i = 0; i < subset.length; i++) {
                    coefficients[i] = (int) Math.round(v[i] / minAbs * scale);
                    asDouble[i] = coefficients[i];
                    zero |= coefficients[i] == 0;
                }
                if (!zero && fit(subset, asDouble) >= percentage) {
                    if (coefficients[0] < 0) {
                        for (int i = 0; i < coefficients.length; i++) {
                            coefficients[i] = -coefficients[i];
                        }
                    }
                    return coefficients;
                }
            }
            return null;
        }

        private DMatrixRMaj sub(int[] cols) {
            DMatrixRMaj s = new DMatrixRMaj(cols.length, cols.length);
            for (int i = 0; i < cols.length; i++) {
                for (int j = 0; j < cols.length; j++) {
                    s.set(i, j, gram.get(cols[i], cols[j]));
                }
            }
            return s;
        }

        private int[] activeColumns() {
            int n = 0;
            for (boolean a : active) {
                n += a ? 1 : 0;
            }
            int[] cols = new int[n];
            for (int j = 0, i = 0; j < active.length; j++) {
                if (active[j]) {
                    cols[i++] = j;
                }
            }
            return cols;
        }

        private static boolean containsAny(int[] subset, List<int[]> supports) {
            for (int[] s : supports) {
                boolean all = true;
                for (int c : s) {
                    all &= Arrays.binarySearch(subset, c) >= 0;
                }
                if (all) {
                    return true;
                }
            }
            return false;
        }

        private static List<int[]> combinations(int[] cols, int size) {
            List<int[]> out = new ArrayList<>();
            combine(cols, size, 0, new int[size], 0, out);
            return out;
        }

        private static void combine(int[] cols, int size, int from, int[] acc, int depth, List<int[]> out) {
            if (depth == size) {
                out.add(acc.clone());
                return;
            }
            for (int i = from; i < cols.length; i++) {
                acc[depth] = cols[i];
                combine(cols, size, i + 1, acc, depth + 1, out);
            }
        }
    }
}
