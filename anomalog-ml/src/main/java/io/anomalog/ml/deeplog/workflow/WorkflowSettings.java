package io.anomalog.ml.deeplog.workflow;

import io.anomalog.core.detect.Params;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.ml.deeplog.DeepLogDetector;

import java.util.List;

/**
 * How {@code train deeplog} builds workflows, from its {@code -p} list.
 *
 * @param mode           {@code workflows}: {@code auto} (default: when the sessions came from text, as the
 *                       parameter models), {@code true} (also from key files) or {@code false}
 * @param minProbability {@code workflowMinProbability}: the prediction probability a transition of the key model's
 *                       workflow needs (default 0.05)
 * @param maxHistories   {@code workflowMaxHistories}: most histories the key model's predictions are followed from
 *                       (default 20,000)
 * @param eps            {@code workflowEps}: co-occurrence clustering's distance bound, 1 - Jaccard (default 0.3)
 * @param minPts         {@code workflowMinPts}: DBSCAN's core point size, the key itself included (default 2)
 */
public record WorkflowSettings(String mode, double minProbability, int maxHistories, double eps, int minPts) {

    public WorkflowSettings {
        if (!List.of("auto", "true", "false").contains(mode)) {
            throw new AnomalogException("deeplog: workflows must be auto, true or false, not '" + mode + "'");
        }
        if (!(minProbability > 0 && minProbability < 1)) {
            throw new AnomalogException("deeplog: workflowMinProbability must be in (0, 1)");
        }
        if (maxHistories < 1 || minPts < 1 || !(eps >= 0 && eps < 1)) {
            throw new AnomalogException("deeplog: workflowMaxHistories and workflowMinPts must be >= 1, "
                    + "workflowEps in [0, 1)");
        }
    }

    public static WorkflowSettings defaults() {
        return from(Params.empty());
    }

    public static WorkflowSettings from(Params p) {
        return new WorkflowSettings(p.getString("workflows", "auto").trim().toLowerCase(java.util.Locale.ROOT),
                p.getDouble("workflowMinProbability", 0.05), p.getInt("workflowMaxHistories", 20_000),
                p.getDouble("workflowEps", 0.3), p.getInt("workflowMinPts", 2));
    }

    /** Whether to build them, given whether the sessions have events. */
    public boolean wanted(boolean events) {
        return mode.equals("true") || (mode.equals("auto") && events);
    }

    public Workflows build(DeepLogDetector keys, List<Sequence> normal) {
        return new Workflows(Workflows.FORMAT_VERSION, minProbability, eps,
                WorkflowBuilder.fromKeyModel(keys, normal, minProbability, maxHistories),
                WorkflowBuilder.fromCooccurrence(normal, eps, minPts));
    }
}
