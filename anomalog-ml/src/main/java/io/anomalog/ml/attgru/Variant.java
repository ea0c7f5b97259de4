package io.anomalog.ml.attgru;

/**
 * The members of the supervised window-classifier family, all built by the same code so that comparing them
 * isolates one design choice: attention or not, GRU or LSTM, semantic vectors or merged one-hot input.
 */
public enum Variant {
    /** Template vectors, additive attention, bidirectional GRU (the ATT-GRU study). */
    ATTGRU("attgru", RecurrentCell.GRU_CELL, true, false,
            "ATT-GRU: template vectors, additive attention, bidirectional GRU, softmax (supervised)"),
    /** ATT-GRU without the attention layer. */
    GRU("gru", RecurrentCell.GRU_CELL, false, false,
            "bidirectional GRU on template vectors, no attention (ATT-GRU ablation, supervised)"),
    /** ATT-GRU with LSTM cells. */
    ATTLSTM("attlstm", RecurrentCell.LSTM_CELL, true, false,
            "ATT-LSTM: template vectors, additive attention, bidirectional LSTM (supervised)"),
    /** ATT-LSTM without the attention layer. */
    LSTM("lstm", RecurrentCell.LSTM_CELL, false, false,
            "bidirectional LSTM on template vectors, no attention (ATT-GRU ablation, supervised)"),
    /** Merged one-hot keys and attributes, 2-layer LSTM, sigmoid output with a class-imbalance weight. */
    LSTM_CLASSIFIER("lstm-classifier", RecurrentCell.LSTM_CELL, false, true,
            "2-layer LSTM on merged one-hot log keys and attributes, sigmoid, class-imbalance weight (supervised)");

    private final String method;
    private final RecurrentCell cell;
    private final boolean attention;
    private final boolean mergedOneHot;
    private final String description;

    Variant(String method, RecurrentCell cell, boolean attention, boolean mergedOneHot, String description) {
        this.method = method;
        this.cell = cell;
        this.attention = attention;
        this.mergedOneHot = mergedOneHot;
        this.description = description;
    }

    public String method() {
        return method;
    }

    public RecurrentCell cell() {
        return cell;
    }

    public boolean attention() {
        return attention;
    }

    /** True for the one-hot classifier: unidirectional LSTM stack, one sigmoid output. */
    public boolean mergedOneHot() {
        return mergedOneHot;
    }

    public String description() {
        return description;
    }

    public static Variant ofMethod(String method) {
        for (Variant v : values()) {
            if (v.method.equals(method)) {
                return v;
            }
        }
        throw new IllegalArgumentException("no window-classifier variant " + method);
    }
}
