package io.anomalog.bench.harness;

import io.anomalog.core.eval.ConfusionMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * Other decision thresholds applied to the scores a method already gave (no scoring again): for each threshold,
 * the confusion matrix of "anomalous when score >= threshold".
 */
public record ThresholdSweep(List<Point> points) {

    public record Point(double threshold, ConfusionMatrix matrix) {
    }

    public ThresholdSweep {
        points = List.copyOf(points);
    }

    public static ThresholdSweep of(ScoredTest test, double... thresholds) {
        if (!test.hasScores()) {
            throw new IllegalArgumentException("a threshold sweep needs a score for every test sequence");
        }
        List<Point> points = new ArrayList<>(thresholds.length);
        for (double t : thresholds) {
            points.add(new Point(t, test.at(t)));
        }
        return new ThresholdSweep(points);
    }
}
