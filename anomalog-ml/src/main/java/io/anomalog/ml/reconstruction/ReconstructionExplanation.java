package io.anomalog.ml.reconstruction;

import io.anomalog.core.detect.Explanation;

import java.util.List;

/**
 * Why the reconstruction detector judged a window: its reconstruction error against the threshold, and the
 * features it reconstructed worst, with what was observed and what the model expected, in the features' units.
 *
 * @param summary   one line: the error, the threshold and the worst features
 * @param error     the mean squared error of the window's standardised vector
 * @param threshold mean + k standard deviations of the validation errors
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
     * @param share         its share of the window's squared error
     */
    public record Feature(String name, double observed, double reconstructed, double share) {
    }
}
