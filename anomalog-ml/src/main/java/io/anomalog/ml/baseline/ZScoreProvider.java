package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.features.CountSeries;
import io.anomalog.core.session.Sequence;

import java.nio.file.Path;

/**
 * {@code zscore}: per-window count z-scores. Parameters: {@code window} (events per window; 0 = whole sequence),
 * {@code threshold} (3), {@code min-std} (0.1: a count constant in training flags any change of 1).
 */
public final class ZScoreProvider extends BaselineProvider {

    static final int VERSION = 1;

    public ZScoreProvider() {
        super("zscore", false, VERSION, "Z-score of per-window key counts against normal windows (3 sigma)");
    }

    @Override
    protected BaselineTrainer.Fit configure(Params params) {
        int window = params.getInt("window", 0);
        double threshold = params.getDouble("threshold", 3.0);
        double minStd = params.getDouble("min-std", 0.1);
        require(window >= 0, "window must be 0 or positive");
        require(minStd > 0, "min-std must be positive");
        return (training, vocabulary, summary, progress) -> {
            int width = CountSeries.width(training.get(0), vocabulary);
            double[] sum = new double[width];
            double[] sq = new double[width];
            long n = 0;
            for (Sequence s : training) {
                for (double[] point : CountSeries.of(s, vocabulary, ZScoreDetector.windowSize(window, s.keys()))) {
                    for (int j = 0; j < width; j++) {
                        sum[j] += point[j];
                        sq[j] += point[j] * point[j];
                    }
                    n++;
                }
            }
            double[] mean = new double[width];
            double[] std = new double[width];
            for (int j = 0; j < width; j++) {
                mean[j] = sum[j] / n;
                std[j] = Math.sqrt(Math.max(0, sq[j] / n - mean[j] * mean[j]));
            }
            summary.put("windows", n);
            return new ZScoreDetector(manifest(params, vocabulary, summary),
                    new ZScoreDetector.Parameters(window, mean, std, minStd, threshold));
        };
    }

    @Override
    protected Detector read(Path modelDir, ModelManifest manifest) {
        return new ZScoreDetector(manifest, ModelFiles.readParameters(modelDir, ZScoreDetector.Parameters.class));
    }
}
