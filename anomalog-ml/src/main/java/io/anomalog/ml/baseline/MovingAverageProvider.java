package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.features.CountSeries;
import io.anomalog.core.session.Sequence;

import java.nio.file.Path;

/**
 * {@code moving-average}: exponentially weighted moving average of per-window counts. Parameters:
 * {@code window} (events per window; 0 = whole sequence), {@code alpha} (0.05), {@code threshold} (3),
 * {@code min-std} (0.1).
 */
public final class MovingAverageProvider extends BaselineProvider {

    static final int VERSION = 1;

    public MovingAverageProvider() {
        super("moving-average", false, VERSION,
                "Exponentially weighted moving average of per-window key counts (3 moving sigma)");
    }

    @Override
    protected BaselineTrainer.Fit configure(Params params) {
        int window = params.getInt("window", 0);
        double alpha = params.getDouble("alpha", 0.05);
        double threshold = params.getDouble("threshold", 3.0);
        double minStd = params.getDouble("min-std", 0.1);
        require(window >= 0, "window must be 0 or positive");
        require(alpha > 0 && alpha <= 1, "alpha must be in (0, 1]");
        require(minStd > 0, "min-std must be positive");
        return (training, vocabulary, summary, progress) -> {
            int width = CountSeries.width(training.get(0), vocabulary);
            MovingAverageDetector.State state = null;
            long n = 0;
            for (Sequence s : training) {
                for (double[] point : CountSeries.of(s, vocabulary, ZScoreDetector.windowSize(window, s.keys()))) {
                    if (state == null) {
                        state = new MovingAverageDetector.State(point, new double[width]);
                    } else {
                        state.update(point, alpha);
                    }
                    n++;
                }
            }
            summary.put("windows", n);
            return new MovingAverageDetector(manifest(params, vocabulary, summary), new MovingAverageDetector.Parameters(
                    window, alpha, state.mean, state.variance, minStd, threshold));
        };
    }

    @Override
    protected Detector read(Path modelDir, ModelManifest manifest) {
        return new MovingAverageDetector(manifest,
                ModelFiles.readParameters(modelDir, MovingAverageDetector.Parameters.class));
    }
}
