package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Params;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.libsvm.LibSVMClassificationTrainer;
import org.tribuo.classification.libsvm.SVMClassificationType;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;

/**
 * {@code svm-rbf}: C-SVM with an RBF kernel (LIBSVM). Parameters: {@code cost} (1), {@code gamma} (0.1),
 * {@code weighting} (tf-idf). Score: the signed decision value toward the anomalous class.
 */
public final class RbfSvmProvider extends ClassifierProvider {

    public RbfSvmProvider() {
        super("svm-rbf", "SVM with an RBF kernel (LIBSVM) on TF-IDF event counts (supervised)");
    }

    @Override
    protected Trainer<Label> tribuoTrainer(Params params) {
        double cost = params.getDouble("cost", 1.0);
        double gamma = params.getDouble("gamma", 0.1);
        require(cost > 0 && gamma > 0, "cost and gamma must be positive");
        SVMParameters<Label> svm = new SVMParameters<>(
                new SVMClassificationType(SVMClassificationType.SVMMode.C_SVC), KernelType.RBF);
        svm.setCost(cost);
        svm.setGamma(gamma);
        Quiet.libsvm();
        return new LibSVMClassificationTrainer(svm);
    }
}
