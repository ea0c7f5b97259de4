package io.anomalog.ml.deeplog;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.session.Sequence;
import io.anomalog.ml.deeplog.parameter.ParameterExplanation;
import io.anomalog.ml.deeplog.parameter.ParameterFinding;
import io.anomalog.ml.deeplog.parameter.ParameterModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DeepLog with its parameter-value models: the log-key model judges each sequence first, as in DeepLog; a sequence
 * whose keys were all expected then goes to the parameter models, and any event whose parameter value vector is
 * outside its key's confidence interval makes it anomalous. The verdict's score is the key model's ({@code 1 - p},
 * in [0, 1]) unless the parameter models flagged the sequence; then it is {@code 1 + r / (1 + r)}, r being the
 * largest ratio of an event's error to its bound, so those sequences rank above every key-normal one.
 *
 * <p>Thread-safe for scoring, as both models are.
 */
public final class DeepLogModels implements Detector {

    private static final int MAX_EXPLAINED = 5;
    private final DeepLogDetector keys;
    private final ParameterModel parameters;

    DeepLogModels(DeepLogDetector keys, ParameterModel parameters) {
        this.keys = keys;
        this.parameters = parameters;
    }

    /** The log-key model alone. */
    public DeepLogDetector keyModel() {
        return keys;
    }

    public ParameterModel parameterModel() {
        return parameters;
    }

    /** The same models with the parameter models judging at another confidence. */
    public DeepLogModels withParameterConfidence(double confidence) {
        return new DeepLogModels(keys, parameters.withConfidence(confidence));
    }

    @Override
    public String method() {
        return keys.method();
    }

    @Override
    public boolean needsEvents() {
        return true;
    }

    @Override
    public ModelManifest manifest() {
        return keys.manifest();
    }

    @Override
    public Verdict score(Sequence sequence) {
        return scoreAll(List.of(sequence)).get(0);
    }

    @Override
    public List<Verdict> scoreAll(List<Sequence> sequences) {
        List<Verdict> byKeys = keys.scoreAll(sequences);
        List<Integer> normal = new ArrayList<>();
        List<Sequence> toJudge = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            if (!byKeys.get(i).anomalous() && sequences.get(i).hasEvents()) {
                normal.add(i);
                toJudge.add(sequences.get(i));
            }
        }
        List<Verdict> out = new ArrayList<>(byKeys);
        if (toJudge.isEmpty()) {
            return out;
        }
        List<List<ParameterFinding>> found = parameters.judge(toJudge);
        for (int j = 0; j < normal.size(); j++) {
            List<ParameterFinding> f = found.get(j);
            if (f.isEmpty()) {
                continue;
            }
            double r = 0;
            for (ParameterFinding x : f) {
                r = Math.max(r, x.threshold() > 0 ? x.error() / x.threshold() : Double.MAX_VALUE);
            }
            int i = normal.get(j);
            ParameterExplanation why = new ParameterExplanation(f.size(), parameters.confidence(),
                    List.copyOf(f.subList(0, Math.min(MAX_EXPLAINED, f.size()))));
            out.set(i, new Verdict(sequences.get(i).id(), true, 1 + r / (1 + r), why));
        }
        return out;
    }

    @Override
    public void save(Path modelDir) throws IOException {
        parameters.save(modelDir);
        keys.save(modelDir); // its manifest is the last file written
    }

    /** The key model's manifest with what the parameter models are, for a new pair. */
    static ModelManifest manifestWith(ModelManifest keyManifest, ParameterModel parameters,
                                      Map<String, Object> parameterSettings) {
        Map<String, Object> training = new LinkedHashMap<>(keyManifest.training());
        Map<String, Object> summary = new LinkedHashMap<>(parameterSettings);
        summary.putAll(parameters.summary());
        training.put("parameterModels", summary);
        return keyManifest.withTraining(training);
    }

    @Override
    public void close() {
        try {
            parameters.close();
        } finally {
            keys.close();
        }
    }
}
