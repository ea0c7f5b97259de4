package io.anomalog.ml.reconstruction;

import io.anomalog.core.detect.Explanation;

import java.util.List;

/**
 * Why the reconstruction detector judged a window: its score against the threshold, and the
 * features it reconstructed worst, with what was observed and what the model expected, in the features' units.
 *
 * @param summary   one line: the score, the threshold and the worst features
 * @param error     the window's score, as the detector's {@code score} parameter defines it
 * @param threshold mean + k standard deviations of the validation windows' scores
 * @param worst     the worst-reconstructed features, worst first
 */
public record ReconstructionExplanation(String summary, double error, double threshold, List<Feature> worst)
        implements Explanation {

    /**
     * One feature of the window.
     *
     * @param name          the feature
     * @param observed      its value in the window
     * @param reconstructed the value the model reconstructed
     * @param share         its share of the sum over the features of what the score is made of (surprises, or
 *                      divided squared errors)
     */
    public record Feature(String name, double observed, double reconstructed, double share) {
    }
}
