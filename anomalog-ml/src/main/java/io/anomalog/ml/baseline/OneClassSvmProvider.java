package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.features.EventCountMatrix;
import io.anomalog.core.features.FeatureExtractor;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.anomaly.libsvm.LibSVMAnomalyTrainer;
import org.tribuo.anomaly.libsvm.SVMAnomalyType;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ocsvm}: one-class SVM with an RBF kernel on normal sessions. Parameters: {@code nu} (upper bound on the
 * share of training sessions outside the region; 0.01), {@code gamma} (0.1), {@code tolerance} (decision values down to minus this count as inside; 0.001,
 * LIBSVM's stopping tolerance), {@code weighting} (tf-idf-smooth; loglizer uses tf-idf, see docs/baselines.md).
 */
public final class OneClassSvmProvider extends BaselineProvider {

    static final int VERSION = 1;

    public OneClassSvmProvider() {
        super("ocsvm", false, VERSION, "One-class SVM (LIBSVM, RBF kernel) on TF-IDF event counts of normal sessions");
    }

    @Override
    protected BaselineTrainer.Fit configure(Params params) {
        double nu = params.getDouble("nu", 0.01);
        double gamma = params.getDouble("gamma", 0.1);
        double tolerance = params.getDouble("tolerance", 0.001);
        FeatureExtractor.Weighting weighting = FeatureExtractor.weighting(params.getString("weighting", "tf-idf-smooth"));
        require(nu > 0 && nu <= 1, "nu must be in (0, 1]");
        require(gamma > 0, "gamma must be positive");
        return (training, vocabulary, summary, progress) -> {
            double[][] counts = EventCountMatrix.of(training, vocabulary);
            FeatureExtractor fx = FeatureExtractor.fit(counts, weighting, FeatureExtractor.Normalization.NONE);
            List<Example<Event>> examples = new ArrayList<>();
            for (double[] row : counts) {
                examples.add(TribuoFeatures.example(AnomalyFactory.EXPECTED_EVENT, fx.transform(row)));
            }
            SVMParameters<Event> svm = new SVMParameters<>(
                    new SVMAnomalyType(SVMAnomalyType.SVMMode.ONE_CLASS), KernelType.RBF);
            svm.setNu(nu);
            svm.setGamma(gamma);
            Quiet.libsvm();
            Model<Event> model = new LibSVMAnomalyTrainer(svm).train(
                    TribuoFeatures.dataset(examples, new AnomalyFactory()));
            return new OneClassSvmDetector(manifest(params, vocabulary, summary),
                    new OneClassSvmDetector.Parameters(fx.state(), tolerance), model);
        };
    }

    @Override
    protected Detector read(Path modelDir, ModelManifest manifest) {
        return new OneClassSvmDetector(manifest,
                ModelFiles.readParameters(modelDir, OneClassSvmDetector.Parameters.class),
                TribuoFeatures.read(modelDir, Event.class));
    }
}
