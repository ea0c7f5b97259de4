package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Explanation;

/**
 * Why a classic detector judged a sequence: a readable reason (the residual, violated invariant, nearest cluster,
 * unexpected transition, ...) and the score compared with the threshold.
 *
 * @param summary   the reason in one line
 * @param score     the anomaly score
 * @param threshold the score above which the method flags
 */
public record BaselineExplanation(String summary, double score, double threshold) implements Explanation {
}
