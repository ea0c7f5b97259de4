package io.anomalog.stream.simulate;

import io.anomalog.core.util.AnomalogException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of anomaly {@link ServicesSimulator} injects: the three of the multi-service study (error-rate spikes
 * after a bad deployment, brute-force logins from one address, delays from a slow dependency) and two subtler ones
 * it does not name (a latency that creeps up for hours, a service that falls silent).
 */
public enum AnomalyKind {
    ERROR_SPIKE("error-spike"),
    BRUTE_FORCE("brute-force"),
    LATENCY_SPIKE("latency-spike"),
    LATENCY_CREEP("latency-creep"),
    SILENCE("silence");

    private final String label;

    AnomalyKind(String label) {
        this.label = label;
    }

    /** The name in label files and reports. */
    public String label() {
        return label;
    }

    public static AnomalyKind of(String label) {
        for (AnomalyKind k : values()) {
            if (k.label.equals(label.strip().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new AnomalogException("unknown anomaly kind '" + label + "'; known: "
                + Arrays.stream(values()).map(AnomalyKind::label).collect(Collectors.joining(", ")));
    }
}
