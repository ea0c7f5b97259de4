package io.anomalog.ml.baseline;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.features.EventCountMatrix;
import io.anomalog.core.features.FeatureExtractor;
import io.anomalog.core.session.Sequence;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A supervised detector backed by a Tribuo classifier on weighted event-count vectors (logistic regression,
 * SVMs, CART). The score is the probability of the anomalous class where the model gives probabilities, else
 * the decision value of the anomalous class minus that of the normal class (the signed margin).
 */
final class ClassifierDetector extends BaselineDetector {

    static final Label ANOMALOUS = new Label("ANOMALOUS");
    static final Label NORMAL = new Label("NORMAL");

    /**
     * Saved parameters besides the Tribuo model file.
     *
     * @param features the fitted feature extractor
     */
    record Parameters(FeatureExtractor.State features) {
    }

    private final Parameters p;
    private final Model<Label> model;
    private final FeatureExtractor features;
    private final KeyVocabulary vocabulary;

    ClassifierDetector(ModelManifest manifest, Parameters p, Model<Label> model) {
        super(manifest);
        this.p = p;
        this.model = model;
        this.features = FeatureExtractor.of(p.features());
        this.vocabulary = manifest.keyVocabulary();
    }

    static Label label(io.anomalog.core.session.Label label) {
        return label == io.anomalog.core.session.Label.ANOMALOUS ? ANOMALOUS : NORMAL;
    }

    @Override
    public Verdict score(Sequence sequence) {
        double[] x = features.transform(EventCountMatrix.counts(sequence, vocabulary));
        Prediction<Label> prediction = model.predict(TribuoFeatures.example(NORMAL, x));
        boolean anomalous = prediction.getOutput().getLabel().equals(ANOMALOUS.getLabel());
        Map<String, Label> scores = prediction.getOutputScores();
        Label a = scores.get(ANOMALOUS.getLabel());
        Label n = scores.get(NORMAL.getLabel());
        double score;
        String kind;
        if (prediction.hasProbabilities()) {
            score = a == null ? 0 : a.getScore();
            kind = "P(anomalous)";
        } else {
            score = (a == null ? 0 : a.getScore()) - (n == null ? 0 : n.getScore());
            kind = "margin";
        }
        String why = String.format(Locale.ROOT, "%s %s %.4f: classified %s", method(), kind, score,
                anomalous ? "anomalous" : "normal");
        return new Verdict(sequence.id(), anomalous, score, new BaselineExplanation(why, score, Double.NaN));
    }

    @Override
    protected void writeParameters(Path modelDir) throws IOException {
        TribuoFeatures.write(modelDir, model);
        ModelFiles.writeParameters(modelDir, p);
    }
}
