package io.anomalog.ml.deeplog.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.anomalog.core.detect.Explanation;

/**
 * A model's explanation of an anomalous sequence together with where the sequence left its workflow.
 *
 * @param model    the model's own explanation (the key model's unexpected events, or the parameter models'
 *                 anomalous values)
 * @param workflow where the sequence left the normal path, or null when it never did (parameter anomalies keep
 *                 to the path)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiagnosedExplanation(Explanation model, Diagnosis workflow) implements Explanation {

    @Override
    public String summary() {
        return workflow == null ? model.summary() : model.summary() + "; " + workflow.summary();
    }
}
