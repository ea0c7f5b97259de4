package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Params;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * {@code lr}: logistic regression (Tribuo's linear SGD with the log loss and AdaGrad). Parameters:
 * {@code epochs} (10), {@code learning-rate} (1.0), {@code seed} (42), {@code weighting} (tf-idf).
 * Score: probability of the anomalous class.
 */
public final class LogisticRegressionProvider extends ClassifierProvider {

    public LogisticRegressionProvider() {
        super("lr", "Logistic regression on TF-IDF event counts (supervised)");
    }

    @Override
    protected Trainer<Label> tribuoTrainer(Params params) {
        int epochs = params.getInt("epochs", 10);
        double rate = params.getDouble("learning-rate", 1.0);
        long seed = params.getLong("seed", 42);
        require(epochs > 0, "epochs must be positive");
        return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(rate, 0.1), epochs, 1000, 1, seed);
    }
}
