package io.anomalog.ml.attgru;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One bidirectional recurrent layer made of two unidirectional ones: the forward cell reads the window in
 * order, the backward cell reads it reversed and its outputs are reversed back, and both are concatenated per
 * time step ({@code [batch, time, 2 * hidden]}). Built this way because DJL's own bidirectional RNN with biases
 * fails on the PyTorch engine.
 */
public final class BiRecurrentLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block forwardCell;
    private final Block backwardCell;
    private final int hidden;

    public BiRecurrentLayer(RecurrentCell cell, int hidden) {
        super(VERSION);
        this.hidden = hidden;
        this.forwardCell = addChildBlock("forward", cell.layer(hidden, 1));
        this.backwardCell = addChildBlock("backward", cell.layer(hidden, 1));
    }

    /** The forward cell, for tests that set known weights. */
    Block forwardCell() {
        return forwardCell;
    }

    Block backwardCell() {
        return backwardCell;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray f = forwardCell.forward(store, new NDList(x), training).head();
        NDArray b = backwardCell.forward(store, new NDList(x.flip(1)), training).head().flip(1);
        return new NDList(f.concat(b, 2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[]{new Shape(in.get(0), in.get(1), 2L * hidden)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        forwardCell.initialize(manager, dataType, inputShapes[0]);
        backwardCell.initialize(manager, dataType, inputShapes[0]);
    }
}
