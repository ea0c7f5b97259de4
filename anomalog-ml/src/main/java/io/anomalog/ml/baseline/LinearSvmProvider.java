package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Params;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;

/**
 * {@code svm-linear}: linear SVM (LIBLINEAR, L2-regularised squared hinge loss). Parameters: {@code cost} (1),
 * {@code weighting} (tf-idf). Score: the signed margin toward the anomalous class.
 */
public final class LinearSvmProvider extends ClassifierProvider {

    public LinearSvmProvider() {
        super("svm-linear", "Linear SVM (LIBLINEAR) on TF-IDF event counts (supervised)");
    }

    @Override
    protected Trainer<Label> tribuoTrainer(Params params) {
        double cost = params.getDouble("cost", 1.0);
        require(cost > 0, "cost must be positive");
        Quiet.liblinear();
        return new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_L2LOSS_SVC_DUAL), cost, 1000, 0.1);
    }
}
