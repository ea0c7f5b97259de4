package io.anomalog.ml.attgru;

import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RecurrentBlock;

/** The recurrent unit of a window classifier. */
public enum RecurrentCell {
    GRU_CELL, LSTM_CELL;

    /** A unidirectional, batch-first layer stack of this unit that returns the outputs of every step. */
    RecurrentBlock layer(int hidden, int layers) {
        return switch (this) {
            case GRU_CELL -> GRU.builder().setStateSize(hidden).setNumLayers(layers).optBatchFirst(true)
                    .optReturnState(false).build();
            case LSTM_CELL -> LSTM.builder().setStateSize(hidden).setNumLayers(layers).optBatchFirst(true)
                    .optReturnState(false).build();
        };
    }
}
