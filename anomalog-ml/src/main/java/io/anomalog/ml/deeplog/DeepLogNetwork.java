package io.anomalog.ml.deeplog;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The DeepLog network: history of h key tokens -> one-hot vectors or a learned key embedding -> stacked LSTM ->
 * last time step -> linear layer -> one logit per token class (softmax is applied by the loss and the scorer).
 * Input: int64 tokens of shape (batch, h). Output: float32 logits of shape (batch, classes).
 */
final class DeepLogNetwork {

    private DeepLogNetwork() {
    }

    static Block build(int classes, DeepLogConfig c) {
        SequentialBlock net = new SequentialBlock();
        net.add(new KeyInput(classes, c.embedding()));
        net.add(LSTM.builder().setStateSize(c.hidden()).setNumLayers(c.layers()).optBatchFirst(true)
                .optReturnState(false).build());
        net.add(new io.anomalog.ml.djl.LastTimeStep());
        net.add(Linear.builder().setUnits(classes).build());
        return net;
    }

    /** Shape of one input batch, for initialisation. */
    static Shape inputShape(int batch, DeepLogConfig c) {
        return new Shape(batch, c.history());
    }

    static DataType inputType() {
        return DataType.INT64;
    }

    /** Turns token ids into one-hot vectors, or looks them up in a trained embedding table. */
    static final class KeyInput extends AbstractBlock {

        private static final byte VERSION = 1;
        private final int classes;
        private final int embeddingSize;
        private final Parameter table;

        KeyInput(int classes, int embeddingSize) {
            super(VERSION);
            this.classes = classes;
            this.embeddingSize = embeddingSize;
            this.table = embeddingSize == 0 ? null : addParameter(Parameter.builder().setName("embedding")
                    .setType(Parameter.Type.WEIGHT).optShape(new Shape(classes, embeddingSize)).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                         PairList<String, Object> params) {
            NDArray tokens = inputs.singletonOrThrow();
            if (table == null) {
                return new NDList(tokens.oneHot(classes));
            }
            NDArray weights = store.getValue(table, tokens.getDevice(), training);
            return Embedding.embedding(tokens, weights, SparseFormat.DENSE);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape in = inputShapes[0];
            return new Shape[]{new Shape(in.get(0), in.get(1), embeddingSize == 0 ? classes : embeddingSize)};
        }
    }
}
