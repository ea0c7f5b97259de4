package io.anomalog.core.eval.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.data.TemplateTextReader;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;

import java.util.LinkedHashMap;
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

    /**
     * Template texts of the protocol's keys when it names a template list (note {@code templates}, a path in the
     * dataset folder), else an empty map. Trainers get them through {@code Trainer.withTemplateTexts}.
     */
    public Map<Integer, String> templateTexts(DataDir data) {
        Object file = notes.get("templates");
        return file == null ? Map.of() : TemplateTextReader.read(data.file(file.toString()));
    }

    /** The training sequences a method gets: all of them for supervised methods, the normal ones otherwise. */
    public List<Sequence> trainingFor(DetectorProvider provider) {
        return provider.supervised() ? train : train.stream().filter(s -> s.label() != Label.ANOMALOUS).toList();
    }

    /**
     * A trainer set up the way this protocol asks, so every harness trains a method alike: the protocol's
     * suggested parameters (notes named {@code METHOD.NAME}, e.g. {@code deeplog.history=20} for 21-key windows)
     * under the user's, the validation sequences, and the template texts.
     */
    public Trainer trainer(DetectorProvider provider, Map<String, String> userParams, DataDir data) {
        Map<String, String> params = new LinkedHashMap<>();
        String prefix = provider.method() + ".";
        notes.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                params.put(k.substring(prefix.length()), String.valueOf(v));
            }
        });
        if (userParams != null) {
            params.putAll(userParams);
        }
        Trainer trainer = provider.trainer(new Params(params));
        if (!validation.isEmpty()) {
            trainer = trainer.withValidation(validation);
        }
        Map<Integer, String> texts = data == null ? Map.of() : templateTexts(data);
        if (!texts.isEmpty()) {
            trainer = trainer.withTemplateTexts(texts);
        }
        return trainer;
    }
}
