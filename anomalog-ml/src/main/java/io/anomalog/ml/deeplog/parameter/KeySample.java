package io.anomalog.ml.deeplog.parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * What an LSTM key keeps of its training data for the online update: a seeded sample of its training windows
 * (replayed beside the marked ones while fine-tuning, so the model keeps what it knew) and of its held-out
 * windows (whose errors the Gaussian of errors is refitted on). Each window is the previous h vectors with their
 * presence flags, as the network reads them, and the normalised vector it predicts.
 *
 * @param key               the log key
 * @param trainHistories    sampled training windows' inputs, h * (d + 1) each
 * @param trainTargets      their normalised target vectors
 * @param validationHistories sampled held-out windows' inputs
 * @param validationTargets their targets
 */
public record KeySample(int key, float[][] trainHistories, double[][] trainTargets, float[][] validationHistories,
                        double[][] validationTargets) {

    /** Windows kept per key and part. */
    public static final int SIZE = 512;

    static KeySample of(int key, List<KeySeries.Step> train, List<KeySeries.Step> validation) {
        List<KeySeries.Step> t = train.subList(0, Math.min(SIZE, train.size()));
        List<KeySeries.Step> v = validation.subList(0, Math.min(SIZE, validation.size()));
        return new KeySample(key, t.stream().map(KeySeries.Step::history).toArray(float[][]::new),
                t.stream().map(KeySeries.Step::target).toArray(double[][]::new),
                v.stream().map(KeySeries.Step::history).toArray(float[][]::new),
                v.stream().map(KeySeries.Step::target).toArray(double[][]::new));
    }

    List<KeySeries.Step> train() {
        return steps(trainHistories, trainTargets);
    }

    List<KeySeries.Step> validation() {
        return steps(validationHistories, validationTargets);
    }

    private static List<KeySeries.Step> steps(float[][] histories, double[][] targets) {
        List<KeySeries.Step> out = new ArrayList<>(histories.length);
        for (int i = 0; i < histories.length; i++) {
            out.add(new KeySeries.Step(-1, histories[i], targets[i], true));
        }
        return out;
    }
}
