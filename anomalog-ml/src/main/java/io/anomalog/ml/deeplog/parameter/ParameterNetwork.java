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
        net.add(new LastStep());
        net.add(Linear.builder().setUnits(dimensions).build());
        return net;
    }

    static Shape inputShape(int batch, int history, int dimensions) {
        return new Shape(batch, history, dimensions + 1);
    }

    /** Keeps the LSTM output of the last time step: (batch, h, hidden) -> (batch, hidden). */
    static final class LastStep extends AbstractBlock {

        private static final byte VERSION = 1;

        LastStep() {
            super(VERSION);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                         PairList<String, Object> params) {
            return new NDList(inputs.head().get(":, -1, :"));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape in = inputShapes[0];
            return new Shape[]{new Shape(in.get(0), in.get(2))};
        }
    }
}
