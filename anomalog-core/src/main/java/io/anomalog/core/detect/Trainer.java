package io.anomalog.core.detect;

import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;

import java.util.List;
import java.util.Map;

/**
 * Fits a {@link Detector} on training sequences. Unsupervised trainers use only the sequences labelled
 * normal (or unlabelled); supervised ones need both labels.
 */
public interface Trainer {

    String method();

    boolean supervised();

    /**
     * @param training  training sequences (labels as the protocol gives them)
     * @param vocabulary every key the training data can mention (for sizing outputs); may contain more keys
     *                   than the training data uses
     * @param progress  where to report progress; {@link Progress#NONE} for quiet
     */
    Detector fit(List<Sequence> training, KeyVocabulary vocabulary, Progress progress);

    /**
     * Attaches the template text of each raw log key (from a template list such as loghub's
     * {@code HDFS_templates.csv}) for sequences that come from key files; methods that explain their verdicts
     * with template texts keep them in the model. The default ignores them.
     *
     * @return this trainer
     */
    default Trainer withTemplateTexts(Map<Integer, String> templateTexts) {
        return this;
    }

    /**
     * Says where the training sequences came from (files, format, grouping, miner, template store), to be written
     * into the model's manifest as it is made.
     *
     * @return this trainer
     */
    Trainer withProvenance(Provenance provenance);

    /**
     * Gives held-out sequences for early stopping (a protocol's validation split), instead of a share the trainer
     * holds out of the training data itself. The default ignores them.
     *
     * @return this trainer
     */
    default Trainer withValidation(List<Sequence> validation) {
        return this;
    }
}
