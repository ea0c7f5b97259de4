package io.anomalog.ml.embed;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.template.TemplateTexts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixed vectors for log keys, one row per dense key index: row 0 is the unknown key, rows 1..n the keys of the
 * {@link KeyVocabulary}, row n+1 the padding of short windows (always zero).
 *
 * <p>Semantic vectors ({@link #word2vec}) follow the ATT-GRU study: word vectors are learnt from the template
 * texts with skip-gram, and a template's vector is the TF-IDF-weighted mean of its words' vectors (words that
 * occur in few templates weigh more), scaled to unit length so every template enters the network at the same
 * scale. A key without a template text (or with no usable word) gets the zero vector, as the unknown key does.
 */
public final class TemplateVectors {

    private TemplateVectors() {
    }

    /** Number of rows of a key table for a vocabulary: unknown, the keys, padding. */
    public static int rows(KeyVocabulary vocabulary) {
        return vocabulary.size() + 2;
    }

    /** The padding row of a key table. */
    public static int paddingIndex(KeyVocabulary vocabulary) {
        return vocabulary.size() + 1;
    }

    /** One-hot rows: the unknown key and each known key have their own unit vector; padding is zero. */
    public static float[][] oneHot(KeyVocabulary vocabulary) {
        int rows = rows(vocabulary);
        float[][] table = new float[rows][rows - 1];
        for (int i = 0; i < rows - 1; i++) {
            table[i][i] = 1f;
        }
        return table;
    }

    /**
     * Semantic template vectors.
     *
     * @param texts     template text by raw key; every template in it trains the word vectors
     * @param dimension word (and template) vector size
     * @param seed      word2vec seed
     */
    public static float[][] word2vec(TemplateTexts texts, KeyVocabulary vocabulary, int dimension, long seed) {
        List<List<String>> sentences = new ArrayList<>();
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (String t : texts.asMap().values()) {
            List<String> words = TemplateTokenizer.words(t);
            if (!words.isEmpty()) {
                sentences.add(words);
            }
            words.stream().distinct().forEach(w -> documentFrequency.merge(w, 1, Integer::sum));
        }
        Map<String, float[]> wordVectors = Word2Vec.builder().dimension(dimension).seed(seed).build().train(sentences);
        int documents = Math.max(1, texts.size());
        float[][] table = new float[rows(vocabulary)][dimension];
        for (int index = 1; index <= vocabulary.size(); index++) {
            table[index] = templateVector(texts.text(vocabulary.keyAt(index)), wordVectors, documentFrequency,
                    documents, dimension);
        }
        return table;
    }

    /** TF-IDF-weighted mean of the template's word vectors, at unit length (zero when it has no words). */
    static float[] templateVector(String template, Map<String, float[]> wordVectors,
                                  Map<String, Integer> documentFrequency, int documents, int dimension) {
        float[] v = new float[dimension];
        List<String> words = TemplateTokenizer.words(template);
        if (words.isEmpty()) {
            return v;
        }
        Map<String, Integer> termCount = new HashMap<>();
        words.forEach(w -> termCount.merge(w, 1, Integer::sum));
        double weightSum = 0;
        for (Map.Entry<String, Integer> e : termCount.entrySet()) {
            float[] wv = wordVectors.get(e.getKey());
            if (wv == null) {
                continue;
            }
            double tf = (double) e.getValue() / words.size();
            double idf = Math.log((1.0 + documents) / (1.0 + documentFrequency.getOrDefault(e.getKey(), 0))) + 1.0;
            double w = tf * idf;
            weightSum += w;
            for (int d = 0; d < dimension; d++) {
                v[d] += (float) (w * wv[d]);
            }
        }
        double norm = 0;
        for (int d = 0; d < dimension; d++) {
            v[d] /= (float) Math.max(weightSum, 1e-12);
            norm += v[d] * v[d];
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int d = 0; d < dimension; d++) {
                v[d] /= (float) norm;
            }
        }
        return v;
    }

    /** Cosine similarity of two vectors (0 when either is zero). */
    public static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
