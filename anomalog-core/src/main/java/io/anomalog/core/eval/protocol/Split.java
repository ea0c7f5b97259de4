package io.anomalog.core.eval.protocol;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;

import java.util.List;
import java.util.Map;

/**
 * Training, validation and test sequences of one protocol run.
 *
 * @param protocol         the protocol's name
 * @param train            training sequences (unsupervised methods use only the normal ones)
 * @param validation       held-out sequences for early stopping and thresholds; may be empty
 * @param test             labelled test sequences
 * @param vocabulary       every key of the protocol's key space (train and test), for sizing models
 * @param projectedNormals when positive, the number of normal test sessions of the original study: the harness
 *                         also reports F1 with false positives scaled to it by the measured FPR (DeepLog's HDFS
 *                         test set has 553,366 normal sessions of which only a sample is public); 0 when unused
 * @param notes            facts about the split for the report (sizes, ratios, sources)
 */
public record Split(String protocol, List<Sequence> train, List<Sequence> validation, List<Sequence> test,
                    KeyVocabulary vocabulary, long projectedNormals, Map<String, Object> notes) {

    public long count(List<Sequence> list, Label label) {
        return list.stream().filter(s -> s.label() == label).count();
    }
}
