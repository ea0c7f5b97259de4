package io.anomalog.ml.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Keeps a recurrent layer's output at the last time step: (batch, steps, hidden) -> (batch, hidden). It has no
 * parameters, so networks that use it save the same bytes whichever network class builds it.
 */
public final class LastTimeStep extends AbstractBlock {

    private static final byte VERSION = 1;

    public LastTimeStep() {
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
