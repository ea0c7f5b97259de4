package io.anomalog.core.session;

/** Ground truth of a sequence, when known. */
public enum Label {
    NORMAL, ANOMALOUS, UNKNOWN;

    public static Label of(boolean anomalous) {
        return anomalous ? ANOMALOUS : NORMAL;
    }

    public boolean isKnown() {
        return this != UNKNOWN;
    }
}
