package io.anomalog.ml.deeplog;

import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Provenance;
import io.anomalog.core.detect.Updatable;
import io.anomalog.core.util.Progress;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.session.Sequence;
import io.anomalog.ml.deeplog.parameter.ParameterExplanation;
import io.anomalog.ml.deeplog.parameter.ParameterFinding;
import io.anomalog.ml.deeplog.parameter.ParameterModel;
import io.anomalog.ml.deeplog.parameter.ParameterUpdate;
import io.anomalog.ml.deeplog.workflow.DiagnosedExplanation;
import io.anomalog.ml.deeplog.workflow.Diagnosis;
import io.anomalog.ml.deeplog.workflow.Workflows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DeepLog with its parameter-value models and workflows: the log-key model judges each sequence first, as in
 * DeepLog, and a sequence it flags is diagnosed on the key model's workflow (where it left the normal path); a sequence
 * whose keys were all expected then goes to the parameter models, and any event whose parameter value vector is
 * outside its key's confidence interval makes it anomalous. The verdict's score is the key model's ({@code 1 - p},
 * in [0, 1]) unless the parameter models flagged the sequence; then it is {@code 1 + r / (1 + r)}, r being the
 * largest ratio of an event's error to its bound, so those sequences rank above every key-normal one.
 *
 * <p>Thread-safe for scoring, as both models are.
 */
public final class DeepLogModels implements Updatable {

    private static final int MAX_EXPLAINED = 5;
    private final DeepLogDetector keys;
    private final ParameterModel parameters;
    private final Workflows workflows;

    /**
     * @param parameters the parameter models, or null when none were trained
     * @param workflows  the workflows, or null when none were built
     */
    DeepLogModels(DeepLogDetector keys, ParameterModel parameters, Workflows workflows) {
        this.keys = keys;
        this.parameters = parameters;
        this.workflows = workflows;
    }

    /** The workflows kept with the model, or null. */
    public Workflows workflows() {
        return workflows;
    }

    /** The log-key model alone. */
    public DeepLogDetector keyModel() {
        return keys;
    }

    public ParameterModel parameterModel() {
        return parameters;
    }

    /**
     * The same key model with other parameter models (e.g. {@link ParameterModel#withConfidence}); closing the
     * result closes both, so close only one of this and it.
     */
    public DeepLogModels withParameterModel(ParameterModel other) {
        return new DeepLogModels(keys, other, workflows);
    }

    @Override
    public String method() {
        return keys.method();
    }

    @Override
    public boolean needsEvents() {
        return parameters != null;
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
        List<Verdict> byKeys = diagnosed(sequences, keys.scoreAll(sequences));
        if (parameters == null) {
            return byKeys;
        }
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

    /** The key model's verdicts, each anomaly's explanation with where it left the workflow. */
    private List<Verdict> diagnosed(List<Sequence> sequences, List<Verdict> verdicts) {
        if (workflows == null) {
            return verdicts;
        }
        List<Verdict> out = new ArrayList<>(verdicts.size());
        for (int i = 0; i < verdicts.size(); i++) {
            Verdict v = verdicts.get(i);
            if (v.anomalous() && v.explanation() instanceof DeepLogExplanation e) {
                int first = e.events().isEmpty() ? -1 : e.events().get(0).position() - 1;
                Diagnosis d = Diagnosis.of(workflows.model(), sequences.get(i).keys(), first);
                v = new Verdict(v.sequenceId(), true, v.score(), new DiagnosedExplanation(e, d));
            }
            out.add(v);
        }
        return out;
    }

    /**
     * The key model learns from the feedback ({@link DeepLogDetector#learnNormal}); for a parameter false positive
     * the parameter model of each key that judged a marked session's vector anomalous learns it too
     * ({@link ParameterUpdate}), the other keys' parameter models are copied unchanged; the workflows stay. The
     * report's {@code parameterModelsUpdated} says which keys' parameter models were updated and how.
     */
    @Override
    public Updated learnNormal(List<Sequence> normal, Provenance provenance, Settings settings, Progress progress) {
        Updated up = keys.learnNormal(normal, provenance, settings, progress);
        if (!(up.detector() instanceof DeepLogDetector newKeys)) {
            return up;
        }
        if (parameters == null) {
            return new Updated(new DeepLogModels(newKeys, null, workflows), up.report());
        }
        ParameterUpdate.Result p;
        try {
            p = ParameterUpdate.apply(parameters, normal, settings);
        } catch (RuntimeException e) {
            newKeys.close();
            throw e;
        }
        Map<String, Object> report = new LinkedHashMap<>(up.report());
        report.put("parameterModelsUpdated", p.keys());
        return new Updated(new DeepLogModels(newKeys, p.model(), workflows), report);
    }

    @Override
    public void save(Path modelDir) throws IOException {
        if (workflows != null) {
            workflows.save(modelDir);
        }
        if (parameters != null) {
            parameters.save(modelDir);
        }
        keys.save(modelDir); // its manifest is the last file written
    }

    /** The key model's manifest with what the parameter models are, for a new pair. */
    static ModelManifest manifestWith(ModelManifest keyManifest, ParameterModel parameters,
                                      Map<String, Object> parameterSettings, Workflows workflows) {
        Map<String, Object> training = new LinkedHashMap<>(keyManifest.training());
        if (parameters != null) {
            Map<String, Object> summary = new LinkedHashMap<>(parameterSettings);
            summary.putAll(parameters.summary());
            training.put("parameterModels", summary);
        }
        if (workflows != null) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("modelWorkflowEdges", workflows.model().edges().size());
            w.put("tasks", workflows.tasks().size());
            w.put("minProbability", workflows.minProbability());
            w.put("eps", workflows.eps());
            training.put("workflows", w);
        }
        return keyManifest.withTraining(training);
    }

    @Override
    public void close() {
        try {
            if (parameters != null) {
                parameters.close();
            }
        } finally {
            keys.close();
        }
    }
}
