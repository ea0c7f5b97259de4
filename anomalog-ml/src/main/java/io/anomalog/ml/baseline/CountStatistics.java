package io.anomalog.ml.baseline;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.features.CountSeries;

/** Helpers shared by the z-score and moving-average detectors. */
final class CountStatistics {

    private CountStatistics() {
    }

    /** The column of the series point with the largest |x - mean| / max(std, minStd), and that value. */
    static double[] worst(double[] x, double[] mean, double[] std, double minStd) {
        double worst = 0;
        int at = 0;
        for (int j = 0; j < x.length; j++) {
            double z = Math.abs(x[j] - mean[j]) / Math.max(std[j], minStd);
            if (z > worst) {
                worst = z;
                at = j;
            }
        }
        return new double[]{worst, at};
    }

    /** Name of a column of a sequence's points: its feature's when it has features. */
    static String columnName(io.anomalog.core.session.Sequence sequence, int column, KeyVocabulary vocabulary) {
        return sequence.hasFeatures() ? sequence.features().names().get(column) : columnName(column, vocabulary);
    }

    /** Name of a series column: a key, "unknown", or "total". */
    static String columnName(int column, KeyVocabulary vocabulary) {
        if (column == CountSeries.width(vocabulary) - 1) {
            return "total events";
        }
        return column == KeyVocabulary.UNKNOWN ? "unknown keys" : "key " + vocabulary.keyAt(column);
    }
}
