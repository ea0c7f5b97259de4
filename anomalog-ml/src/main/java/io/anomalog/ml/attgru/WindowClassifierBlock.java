package io.anomalog.ml.attgru;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.RecurrentBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The network of every window classifier. Input: {@code int [batch, window, channels]}, channel 0 the dense key
 * index (0 = unknown, {@link Architecture#paddingIndex()} = padding of short windows), the further channels the
 * index of each event attribute (one-hot classifier only). Output: the logits ({@code [batch, 2]}, or {@code [batch, 1]} for the sigmoid
 * classifier) and the attention weights per event ({@code [batch, window]}; uniform over the events when the
 * variant has no attention).
 *
 * <p>Template-vector variants: key table lookup, optional {@link AdditiveAttention}, two stacked
 * {@link BiRecurrentLayer}s, then the last forward output and the first backward output (each direction's
 * summary of the whole window) go through a ReLU layer to the logits. One-hot classifier: the one-hot key and
 * the one-hot vector of each attribute concatenated per event, a 2-layer unidirectional LSTM, its last output to the ReLU layer and
 * one sigmoid unit.
 */
public final class WindowClassifierBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Architecture arch;
    private final boolean trainableTable;
    private Parameter table;
    private AdditiveAttention attention;
    private BiRecurrentLayer layer1;
    private BiRecurrentLayer layer2;
    private RecurrentBlock stack;
    private final Linear dense;
    private final Linear output;

    /**
     * @param trainableTable true for learned key embeddings; false for fixed vectors (word2vec, one-hot) whose
     *                       values are set after initialisation and never change
     */
    public WindowClassifierBlock(Architecture arch, boolean trainableTable) {
        super(VERSION);
        this.arch = arch;
        this.trainableTable = trainableTable;
        Variant v = arch.variant();
        if (v.mergedOneHot()) {
            stack = addChildBlock("lstm", v.cell().layer(arch.hidden(), 2));
        } else {
            table = addParameter(Parameter.builder().setName("table").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(arch.keyRows(), arch.vectorSize())).build());
            if (v.attention()) {
                attention = addChildBlock("attention", new AdditiveAttention(arch.vectorSize(), arch.attentionSize()));
            }
            layer1 = addChildBlock("layer1", new BiRecurrentLayer(v.cell(), arch.hidden()));
            layer2 = addChildBlock("layer2", new BiRecurrentLayer(v.cell(), arch.hidden()));
        }
        dense = addChildBlock("dense", Linear.builder().setUnits(arch.dense()).build());
        output = addChildBlock("output", Linear.builder().setUnits(arch.outputs()).build());
    }

    public Architecture architecture() {
        return arch;
    }

    /** The key table (null for the one-hot classifier). */
    public Parameter table() {
        return table;
    }

    boolean trainableTable() {
        return trainableTable;
    }

    BiRecurrentLayer layer1() {
        return layer1;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray in = inputs.head();
        NDArray keys = in.get(":, :, 0").toType(DataType.INT64, false);
        NDArray mask = keys.neq(arch.paddingIndex()).toType(DataType.FLOAT32, false);
        long steps = keys.getShape().get(1);
        NDArray summary;
        NDArray weights;
        if (arch.variant().mergedOneHot()) {
            NDList parts = new NDList(keys.oneHot(arch.keyRows()));
            for (int a = 0; a < arch.attributeRows().size(); a++) {
                NDArray attribute = in.get(":, :, " + (a + 1)).toType(DataType.INT64, false);
                parts.add(attribute.oneHot(arch.attributeRows().get(a)));
            }
            NDArray x = NDArrays.concat(parts, 2).toType(DataType.FLOAT32, false);
            NDArray h = stack.forward(store, new NDList(x), training).head();
            summary = h.get(":, -1, :");
            weights = mask.div(mask.sum(new int[]{1}, true));
        } else {
            NDArray t = store.getValue(table, keys.getDevice(), training);
            if (!trainableTable) {
                t = t.stopGradient();
            }
            NDArray x = Embedding.embedding(keys, t, SparseFormat.DENSE).head();
            if (attention != null) {
                NDList att = attention.forward(store, new NDList(x, mask), training);
                x = att.get(0);
                weights = att.get(1);
            } else {
                weights = mask.div(mask.sum(new int[]{1}, true));
            }
            NDArray h = layer1.forward(store, new NDList(x), training).head();
            h = layer2.forward(store, new NDList(h), training).head();
            int hidden = arch.hidden();
            NDArray lastForward = h.get(":, " + (steps - 1) + ", :" + hidden);
            NDArray firstBackward = h.get(":, 0, " + hidden + ":");
            summary = lastForward.concat(firstBackward, 1);
        }
        NDArray z = Activation.relu(dense.forward(store, new NDList(summary), training).head());
        NDArray logits = output.forward(store, new NDList(z), training).head();
        return new NDList(logits, weights);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[]{new Shape(in.get(0), arch.outputs()), new Shape(in.get(0), in.get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long steps = inputShapes[0].get(1);
        long summarySize;
        if (arch.variant().mergedOneHot()) {
            stack.initialize(manager, dataType, new Shape(batch, steps, arch.oneHotWidth()));
            summarySize = arch.hidden();
        } else {
            Shape x = new Shape(batch, steps, arch.vectorSize());
            if (attention != null) {
                attention.initialize(manager, dataType, x, new Shape(batch, steps));
            }
            layer1.initialize(manager, dataType, x);
            layer2.initialize(manager, dataType, new Shape(batch, steps, 2L * arch.hidden()));
            summarySize = 2L * arch.hidden();
        }
        dense.initialize(manager, dataType, new Shape(batch, summarySize));
        output.initialize(manager, dataType, new Shape(batch, arch.dense()));
    }
}
