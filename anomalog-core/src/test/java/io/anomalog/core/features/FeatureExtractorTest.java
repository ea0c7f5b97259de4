package io.anomalog.core.features;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FeatureExtractorTest {

    private final KeyVocabulary vocabulary = new KeyVocabulary(List.of(5, 7, 9));

    @Test
    void countMatrixHasAnUnknownColumn() {
        double[][] m = EventCountMatrix.of(List.of(
                new Sequence("a", new int[]{5, 5, 9}, Label.NORMAL),
                new Sequence("b", new int[]{7, 42}, Label.NORMAL)), vocabulary);
        assertArrayEquals(new double[]{0, 2, 0, 1}, m[0]);
        assertArrayEquals(new double[]{1, 0, 1, 0}, m[1]);
        assertEquals("unknown", EventCountMatrix.columnName(0, vocabulary));
        assertEquals("key 9", EventCountMatrix.columnName(3, vocabulary));
    }

    @Test
    void tfIdfWeighsByInverseDocumentFrequencyAsLoglizer() {
        double[][] counts = {{0, 2, 1, 0}, {0, 1, 0, 0}, {0, 3, 0, 1}, {0, 1, 0, 0}};
        FeatureExtractor fx = FeatureExtractor.fit(counts, FeatureExtractor.Weighting.TF_IDF,
                FeatureExtractor.Normalization.NONE);
        // key 5 in all 4 rows: idf log(4/4)=0; key 7 in one row: log 4; unseen columns weigh as seen once
        assertArrayEquals(new double[]{Math.log(4), 0, Math.log(4), Math.log(4)}, fx.state().idf(), 1e-12);
        assertArrayEquals(new double[]{0, 0, Math.log(4), 0}, fx.transform(counts[0]), 1e-12);
    }

    @Test
    void smoothTfIdfNeverErasesAKey() {
        double[][] counts = {{0, 2, 1}, {0, 1, 0}, {0, 3, 0}};
        FeatureExtractor fx = FeatureExtractor.fit(counts, FeatureExtractor.Weighting.TF_IDF_SMOOTH,
                FeatureExtractor.Normalization.NONE);
        assertArrayEquals(new double[]{Math.log(4) + 1, 1, Math.log(2) + 1}, fx.state().idf(), 1e-12);
    }

    @Test
    void zeroMeanCentresTrainingColumns() {
        double[][] counts = {{1, 4}, {3, 0}};
        FeatureExtractor fx = FeatureExtractor.fit(counts, FeatureExtractor.Weighting.NONE,
                FeatureExtractor.Normalization.ZERO_MEAN);
        assertArrayEquals(new double[]{2, 2}, fx.state().mean(), 1e-12);
        assertArrayEquals(new double[]{-1, 2}, fx.transform(counts[0]), 1e-12);
        assertArrayEquals(new double[]{1, -2}, fx.transform(counts[1]), 1e-12);
        FeatureExtractor restored = FeatureExtractor.of(fx.state());
        assertArrayEquals(fx.transform(new double[]{5, 5}), restored.transform(new double[]{5, 5}), 0);
    }

    @Test
    void sigmoidSquashesNonZeroValues() {
        FeatureExtractor fx = FeatureExtractor.fit(new double[][]{{0, 2}}, FeatureExtractor.Weighting.NONE,
                FeatureExtractor.Normalization.SIGMOID);
        assertArrayEquals(new double[]{0, 1 / (1 + Math.exp(-2))}, fx.transform(new double[]{0, 2}), 1e-12);
    }

    @Test
    void rejectsWrongWidthAndUnknownNames() {
        FeatureExtractor fx = FeatureExtractor.fit(new double[][]{{1, 2}}, FeatureExtractor.Weighting.NONE,
                FeatureExtractor.Normalization.NONE);
        assertThrows(IllegalArgumentException.class, () -> fx.transform(new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> FeatureExtractor.weighting("bm25"));
        assertEquals(FeatureExtractor.Normalization.ZERO_MEAN, FeatureExtractor.normalization("zero_mean"));
    }

    @Test
    void countSeriesCutsWindowsAndAddsTotals() {
        List<double[]> s = CountSeries.of(new int[]{5, 5, 9, 7, 42}, vocabulary, 2);
        assertEquals(3, s.size());
        assertArrayEquals(new double[]{0, 2, 0, 0, 2}, s.get(0));
        assertArrayEquals(new double[]{0, 0, 1, 1, 2}, s.get(1));
        assertArrayEquals(new double[]{1, 0, 0, 0, 1}, s.get(2));
        assertEquals(1, CountSeries.of(new int[0], vocabulary, 3).size());
        assertThrows(IllegalArgumentException.class, () -> CountSeries.of(new int[]{5}, vocabulary, 0));
    }
}
