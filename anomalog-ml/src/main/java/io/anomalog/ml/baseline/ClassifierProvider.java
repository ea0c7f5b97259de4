package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.features.EventCountMatrix;
import io.anomalog.core.features.FeatureExtractor;
import io.anomalog.core.session.Sequence;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Common part of the supervised classifiers: TF-IDF weighted counts (as loglizer's supervised demos use), a
 * Tribuo trainer chosen by the subclass from the user's parameters, and model files in Tribuo's format.
 */
abstract class ClassifierProvider extends BaselineProvider {

    static final int VERSION = 1;

    ClassifierProvider(String method, String description) {
        super(method, true, VERSION, description);
    }

    /** The Tribuo trainer, configured from the parameters (all read here). */
    protected abstract Trainer<Label> tribuoTrainer(Params params);

    @Override
    protected final BaselineTrainer.Fit configure(Params params) {
        FeatureExtractor.Weighting weighting = FeatureExtractor.weighting(params.getString("weighting", "tf-idf"));
        Trainer<Label> trainer = tribuoTrainer(params);
        return (training, vocabulary, summary, progress) -> {
            double[][] counts = EventCountMatrix.of(training, vocabulary);
            FeatureExtractor fx = FeatureExtractor.fit(counts, weighting, FeatureExtractor.Normalization.NONE);
            List<Example<Label>> examples = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                Sequence s = training.get(i);
                examples.add(TribuoFeatures.example(ClassifierDetector.label(s.label()), fx.transform(counts[i])));
            }
            Model<Label> model = trainer.train(TribuoFeatures.dataset(examples, new LabelFactory()));
            return new ClassifierDetector(manifest(params, vocabulary, summary),
                    new ClassifierDetector.Parameters(fx.state()), model);
        };
    }

    @Override
    protected final Detector read(Path modelDir, ModelManifest manifest) {
        return new ClassifierDetector(manifest,
                ModelFiles.readParameters(modelDir, ClassifierDetector.Parameters.class),
                TribuoFeatures.read(modelDir, Label.class));
    }
}
