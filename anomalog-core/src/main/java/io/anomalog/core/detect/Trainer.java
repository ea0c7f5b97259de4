package io.anomalog.core.detect;

import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;

import java.util.List;

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
}
