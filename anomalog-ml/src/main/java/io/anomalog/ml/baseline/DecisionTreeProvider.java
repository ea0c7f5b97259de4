package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Params;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;

/**
 * {@code tree}: CART decision tree (Gini impurity). Parameters: {@code max-depth} (0 = unlimited),
 * {@code weighting} (tf-idf). Score: the anomalous share of the training sessions in the leaf.
 */
public final class DecisionTreeProvider extends ClassifierProvider {

    public DecisionTreeProvider() {
        super("tree", "CART decision tree on TF-IDF event counts (supervised)");
    }

    @Override
    protected Trainer<Label> tribuoTrainer(Params params) {
        int maxDepth = params.getInt("max-depth", 0);
        require(maxDepth >= 0, "max-depth must be 0 (unlimited) or positive");
        return new CARTClassificationTrainer(maxDepth == 0 ? Integer.MAX_VALUE : maxDepth);
    }
}
