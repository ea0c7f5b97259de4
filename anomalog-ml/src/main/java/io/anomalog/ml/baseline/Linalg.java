package io.anomalog.ml.baseline;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** The few EJML operations the linear-algebra baselines share. */
final class Linalg {

    /** Singular values (descending) and the matching left singular vectors as columns of u. */
    record Svd(double[] values, DMatrixRMaj u, DMatrixRMaj v) {
    }

    private Linalg() {
    }

    static DMatrixRMaj matrix(double[][] rows) {
        return new DMatrixRMaj(rows);
    }

    /** X^T X / divisor. */
    static DMatrixRMaj gram(double[][] rows, double divisor) {
        DMatrixRMaj x = matrix(rows);
        DMatrixRMaj g = new DMatrixRMaj(x.numCols, x.numCols);
        CommonOps_DDRM.multTransA(x, x, g);
        CommonOps_DDRM.scale(1.0 / divisor, g);
        return g;
    }

    /** Full SVD with singular values in descending order. */
    static Svd svd(DMatrixRMaj a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(a.numRows, a.numCols, true, true, false);
        if (!svd.decompose(a.copy())) {
            throw new IllegalStateException("SVD did not converge");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(u, false, w, v, false);
        int n = Math.min(w.numRows, w.numCols);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = w.get(i, i);
        }
        return new Svd(values, u, v);
    }
}
