package io.anomalog.ml.baseline;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.features.EventCountMatrix;
import io.anomalog.core.features.FeatureExtractor;
import io.anomalog.core.session.Sequence;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One-class SVM (Schölkopf et al. 2001, LIBSVM through Tribuo) on weighted event-count vectors of normal
 * sessions. The score is the negated decision value (distance outside the learnt support region); the
 * decision is LIBSVM's sign.
 */
final class OneClassSvmDetector extends BaselineDetector {

    /**
     * Saved parameters besides the Tribuo model file.
     *
     * @param features  the fitted feature extractor
     * @param tolerance how far below zero a decision value must be to count as outside (LIBSVM solves to a
     *                  tolerance of 0.001, and with many identical normal sessions the boundary runs through
     *                  them, so smaller negative values are solver noise)
     */
    record Parameters(FeatureExtractor.State features, double tolerance) {
    }

    private final Parameters p;
    private final Model<Event> model;
    private final FeatureExtractor features;
    private final KeyVocabulary vocabulary;

    OneClassSvmDetector(ModelManifest manifest, Parameters p, Model<Event> model) {
        super(manifest);
        this.p = p;
        this.model = model;
        this.features = FeatureExtractor.of(p.features());
        this.vocabulary = manifest.keyVocabulary();
    }

    @Override
    public Verdict score(Sequence sequence) {
        double[] x = features.transform(EventCountMatrix.counts(sequence, vocabulary));
        Prediction<Event> prediction = model.predict(TribuoFeatures.example(AnomalyFactory.EXPECTED_EVENT, x));
        Event e = prediction.getOutput();
        double score = -e.getScore();
        boolean anomalous = score > p.tolerance();
        String why = String.format(Locale.ROOT, "one-class SVM decision value %.4f (tolerance %.4f): %s", e.getScore(),
                p.tolerance(),
                anomalous ? "outside the normal region" : "inside the normal region");
        return new Verdict(sequence.id(), anomalous, score, new BaselineExplanation(why, score, p.tolerance()));
    }

    @Override
    protected void writeParameters(Path modelDir) throws IOException {
        TribuoFeatures.write(modelDir, model);
        ModelFiles.writeParameters(modelDir, p);
    }
}
