package io.anomalog.ml.deeplog.parameter;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The network of one key's parameter model: the previous h normalised vectors of the key, each with a presence
 * flag (0 for padding before the key's first occurrences in the sequence) -> one LSTM layer -> last time step
 * -> linear layer -> the predicted next normalised vector. Input float32 (batch, h, d + 1); output (batch, d).
 */
final class ParameterNetwork {

    private ParameterNetwork() {
    }

    static Block build(int dimensions, int hidden) {
        SequentialBlock net = new SequentialBlock();
        net.add(LSTM.builder().setStateSize(hidden).setNumLayers(1).optBatchFirst(true).optReturnState(false).build());
        net.add(new io.anomalog.ml.djl.LastTimeStep());
        net.add(Linear.builder().setUnits(dimensions).build());
        return net;
    }

    static Shape inputShape(int batch, int history, int dimensions) {
        return new Shape(batch, history, dimensions + 1);
    }
}
