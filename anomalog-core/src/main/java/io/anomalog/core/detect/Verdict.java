package io.anomalog.core.detect;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A detector's judgement of one sequence.
 *
 * @param sequenceId  id of the judged sequence
 * @param anomalous   the decision at the detector's threshold
 * @param score       anomaly score, higher = more anomalous, comparable within one detector (used for ROC);
 *                    NaN when the method gives no score
 * @param explanation why, or null when the method gives none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Verdict(String sequenceId, boolean anomalous, double score, Explanation explanation) {

    public static Verdict of(String sequenceId, boolean anomalous, double score) {
        return new Verdict(sequenceId, anomalous, score, null);
    }
}
