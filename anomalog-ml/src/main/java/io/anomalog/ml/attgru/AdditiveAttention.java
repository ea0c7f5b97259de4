package io.anomalog.ml.attgru;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Additive (Bahdanau) attention over the events of a window: {@code score_t = v^T tanh(W x_t + U q)} with a
 * learnt query {@code q}, weights {@code a = softmax_t(score)}, and each event vector reweighted as
 * {@code x'_t = T * a_t * x_t} (the factor T, the window length, keeps uniform weights from shrinking the input).
 * Padding steps get weight 0. Input: vectors {@code [batch, T, d]} and a padding mask {@code [batch, T]}
 * (1 = event, 0 = padding); output: reweighted vectors and the weights {@code [batch, T]}.
 */
public final class AdditiveAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Parameter w;
    private final Parameter u;
    private final Parameter query;
    private final Parameter v;

    public AdditiveAttention(int inputDimension, int attentionDimension) {
        super(VERSION);
        w = addParameter(Parameter.builder().setName("W").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(inputDimension, attentionDimension)).build());
        u = addParameter(Parameter.builder().setName("U").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(attentionDimension, attentionDimension)).build());
        query = addParameter(Parameter.builder().setName("q").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, attentionDimension)).build());
        v = addParameter(Parameter.builder().setName("v").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(attentionDimension, 1)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray mask = inputs.get(1);
        var device = x.getDevice();
        NDArray wx = x.matMul(store.getValue(w, device, training));                       // [B, T, a]
        NDArray uq = store.getValue(query, device, training).matMul(store.getValue(u, device, training)); // [1, a]
        NDArray scores = wx.add(uq).tanh().matMul(store.getValue(v, device, training)).squeeze(2); // [B, T]
        // padding never draws attention: a large negative score before the softmax
        NDArray masked = scores.add(mask.sub(1f).mul(1e9f));
        NDArray weights = masked.softmax(1);
        long steps = x.getShape().get(1);
        NDArray reweighted = x.mul(weights.mul((float) steps).expandDims(2));
        return new NDList(reweighted, weights);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[]{in, new Shape(in.get(0), in.get(1))};
    }
}
