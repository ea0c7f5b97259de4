package io.anomalog.bench.harness;

import io.anomalog.core.eval.ConfusionMatrix;

/**
 * Figures on the test mix of an original study when the test set holds only a sample of its normal sequences (a
 * split's {@code projectedNormals}): false positives are scaled to the study's number of normal sequences by the
 * measured false-positive rate; true positives and false negatives stay as measured.
 *
 * @param normals   normal sequences of the original test mix
 * @param fp        false positives expected there: measured FPR x normals
 * @param precision TP / (TP + fp), 0 when both are 0
 * @param recall    the measured recall
 * @param f1        F1 of precision and recall, 0 when both are 0
 */
public record Projection(long normals, double fp, double precision, double recall, double f1) {

    public static Projection of(ConfusionMatrix measured, long normals) {
        if (normals <= 0) {
            throw new IllegalArgumentException("a projection needs a positive number of normals, got " + normals);
        }
        double fp = measured.fpr() * normals;
        double precision = measured.tp() + fp == 0 ? 0 : measured.tp() / (measured.tp() + fp);
        double recall = measured.recall();
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Projection(normals, fp, precision, recall, f1);
    }
}
