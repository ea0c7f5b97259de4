package io.anomalog.ml.baseline;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.features.CountSeries;
import io.anomalog.core.session.Sequence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Moving-average detector on the per-window count series: an exponentially weighted moving average and variance
 * of every key's count (and the total) follows the series; a window is anomalous when some count is more than
 * the threshold of moving standard deviations from the moving average. Training runs the average over the
 * normal training windows in order. {@link #scoreAll} goes on following the scored series in order, updating
 * the average with the windows it judged normal (so slow drift is learned and anomalies are not);
 * {@link #score} judges one sequence against the trained average alone.
 */
final class MovingAverageDetector extends BaselineDetector {

    /**
     * Saved parameters.
     *
     * @param window    events per window, 0 = the whole sequence is one window
     * @param alpha     weight of the newest window in the average
     * @param mean      moving average at the end of training
     * @param variance  moving variance at the end of training
     * @param minStd    floor of the moving standard deviation
     * @param threshold deviations (in moving standard deviations) above which a window is anomalous
     */
    record Parameters(int window, double alpha, double[] mean, double[] variance, double minStd, double threshold) {
    }

    /** The moving state; a copy per scoring pass keeps the detector thread-safe. */
    static final class State {
        final double[] mean;
        final double[] variance;

        State(double[] mean, double[] variance) {
            this.mean = mean.clone();
            this.variance = variance.clone();
        }

        void update(double[] x, double alpha) {
            for (int j = 0; j < x.length; j++) {
                double diff = x[j] - mean[j];
                double incr = alpha * diff;
                mean[j] += incr;
                variance[j] = (1 - alpha) * (variance[j] + diff * incr);
            }
        }

        double[] std() {
            double[] s = new double[variance.length];
            for (int j = 0; j < s.length; j++) {
                s[j] = Math.sqrt(Math.max(0, variance[j]));
            }
            return s;
        }
    }

    private final Parameters p;
    private final KeyVocabulary vocabulary;

    MovingAverageDetector(ModelManifest manifest, Parameters p) {
        super(manifest);
        this.p = p;
        this.vocabulary = manifest.keyVocabulary();
    }

    private Verdict judge(Sequence sequence, State state, boolean follow) {
        double worst = 0;
        int column = 0;
        boolean anomalous = false;
        List<double[]> points = CountSeries.of(sequence, vocabulary,
                ZScoreDetector.windowSize(p.window(), sequence.keys()));
        if (sequence.hasFeatures()) {
            // a time window: the average moves over the windows before it of the same series, then judges it
            state = new State(p.mean(), p.variance());
            double[][] rows = sequence.features().rows();
            for (int i = 0; i < rows.length - 1; i++) {
                double[] z = CountStatistics.worst(rows[i], state.mean, state.std(), p.minStd());
                if (z[0] <= p.threshold()) {
                    state.update(rows[i], p.alpha());
                }
            }
            follow = false;
        }
        for (double[] point : points) {
            double[] z = CountStatistics.worst(point, state.mean, state.std(), p.minStd());
            boolean windowAnomalous = z[0] > p.threshold();
            anomalous |= windowAnomalous;
            if (z[0] > worst) {
                worst = z[0];
                column = (int) z[1];
            }
            if (follow && !windowAnomalous) {
                state.update(point, p.alpha());
            }
        }
        String why = String.format(Locale.ROOT, "%.2f moving standard deviations on %s %s %.2f", worst,
                CountStatistics.columnName(sequence, column, vocabulary), anomalous ? ">" : "<=", p.threshold());
        return new Verdict(sequence.id(), anomalous, worst, new BaselineExplanation(why, worst, p.threshold()));
    }

    @Override
    public Verdict score(Sequence sequence) {
        return judge(sequence, new State(p.mean(), p.variance()), false);
    }

    @Override
    public List<Verdict> scoreAll(List<Sequence> sequences) {
        State state = new State(p.mean(), p.variance());
        List<Verdict> out = new ArrayList<>(sequences.size());
        for (Sequence s : sequences) {
            out.add(judge(s, state, true));
        }
        return out;
    }

    @Override
    protected void writeParameters(Path modelDir) throws IOException {
        ModelFiles.writeParameters(modelDir, p);
    }
}
