package io.anomalog.core.features;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.session.Sequence;

import java.util.List;

/**
 * The session x template event-count matrix of the classic detectors (Xu et al., SOSP 2009): one row per
 * sequence, one column per log key. Column {@link KeyVocabulary#UNKNOWN} (0) counts keys outside the vocabulary,
 * so a never-seen template still moves the vector instead of vanishing; columns 1..n are the vocabulary's dense
 * indices.
 */
public final class EventCountMatrix {

    private EventCountMatrix() {
    }

    /** Number of columns for a vocabulary: one per key plus the unknown column. */
    public static int width(KeyVocabulary vocabulary) {
        return vocabulary.size() + 1;
    }

    /** The count vector of one key sequence. */
    public static double[] counts(int[] keys, KeyVocabulary vocabulary) {
        double[] row = new double[width(vocabulary)];
        for (int k : keys) {
            row[vocabulary.indexOf(k)]++;
        }
        return row;
    }

    /** The vector of one sequence: its own feature vector when it has one, else its key counts. */
    public static double[] counts(Sequence sequence, KeyVocabulary vocabulary) {
        return sequence.hasFeatures() ? sequence.features().last().clone() : counts(sequence.keys(), vocabulary);
    }

    /** The width of a sequence's vector. */
    public static int width(Sequence sequence, KeyVocabulary vocabulary) {
        return sequence.hasFeatures() ? sequence.features().width() : width(vocabulary);
    }

    /** A column's name: the feature's for a sequence with features, else as {@link #columnName(int, KeyVocabulary)}. */
    public static String columnName(Sequence sequence, int column, KeyVocabulary vocabulary) {
        return sequence.hasFeatures() ? sequence.features().names().get(column) : columnName(column, vocabulary);
    }

    /** The count matrix of many sequences, rows in input order. */
    public static double[][] of(List<Sequence> sequences, KeyVocabulary vocabulary) {
        double[][] m = new double[sequences.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = counts(sequences.get(i), vocabulary);
        }
        return m;
    }

    /** Column names for reports and explanations: "unknown" for column 0, else the raw key. */
    public static String columnName(int column, KeyVocabulary vocabulary) {
        return column == KeyVocabulary.UNKNOWN ? "unknown" : "key " + vocabulary.keyAt(column);
    }
}
