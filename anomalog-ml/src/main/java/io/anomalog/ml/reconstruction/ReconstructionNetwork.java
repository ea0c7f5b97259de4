package io.anomalog.ml.reconstruction;

import ai.djl.ndarray.NDArray;
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
 * The LSTM autoencoder: a sequence of standardised window vectors (batch, steps, features) -> encoder LSTM -> its
 * last state, the code -> repeated for every step -> decoder LSTM -> a linear layer per step -> the reconstructed
 * sequence (batch, steps, features). The code is all the decoder sees, so only what normal sequences share is
 * reconstructed well.
 */
final class ReconstructionNetwork {

    private ReconstructionNetwork() {
    }

    static Block build(int features, ReconstructionConfig c) {
        SequentialBlock net = new SequentialBlock();
        net.add(LSTM.builder().setStateSize(c.hidden()).setNumLayers(1).optBatchFirst(true).optReturnState(false)
                .build());
        net.add(new RepeatLast(c.history()));
        net.add(LSTM.builder().setStateSize(c.hidden()).setNumLayers(1).optBatchFirst(true).optReturnState(false)
                .build());
        net.add(Linear.builder().setUnits(features).build());
        return net;
    }

    static Shape inputShape(int batch, int features, ReconstructionConfig c) {
        return new Shape(batch, c.history(), features);
    }

    /** The encoder's output at its last step, repeated for every step: (batch, steps, h) -> (batch, steps, h). */
    static final class RepeatLast extends AbstractBlock {

        private static final byte VERSION = 1;
        private final int steps;

        RepeatLast(int steps) {
            super(VERSION);
            this.steps = steps;
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                         PairList<String, Object> params) {
            NDArray last = inputs.head().get(":, -1:, :");
            return new NDList(last.repeat(1, steps));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape in = inputShapes[0];
            return new Shape[]{new Shape(in.get(0), steps, in.get(2))};
        }
    }
}
