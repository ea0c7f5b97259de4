package io.anomalog.core.session;

import io.anomalog.core.features.FeatureRows;
import io.anomalog.core.template.ParsedEvent;

import java.util.Arrays;
import java.util.List;

/**
 * An ordered run of log keys that detectors judge as one unit: a session (all events of one block or VM
 * instance), a sliding window, or a time window.
 *
 * <p>Keys are the template ids as the source numbers them (1-based for DeepLog's HDFS files, 0-based for the
 * logdeep BGL windows, template-store ids for parsed text). Detectors map them onto dense indices themselves.
 *
 * @param id     session id, window id, or line number of a key file
 * @param keys   the log keys in order; may be empty
 * @param label  ground truth when known
 * @param events the parsed events behind the keys when the sequence came from text (same length as keys),
 *               or an empty list when it came from a key file
 * @param features the feature vectors of a time window and the windows before it (its last row is the window),
 *                 when the sequence came with them; null otherwise. Detectors that read count vectors use the last
 *                 row instead of the key counts when it is there.
 */
public record Sequence(String id, int[] keys, Label label, List<ParsedEvent> events, FeatureRows features) {

    public Sequence {
        keys = keys == null ? new int[0] : keys;
        label = label == null ? Label.UNKNOWN : label;
        events = events == null ? List.of() : events;
        if (!events.isEmpty() && events.size() != keys.length) {
            throw new IllegalArgumentException("sequence " + id + ": " + events.size() + " events for "
                    + keys.length + " keys");
        }
    }

    public Sequence(String id, int[] keys, Label label) {
        this(id, keys, label, List.of(), null);
    }

    public Sequence(String id, int[] keys, Label label, List<ParsedEvent> events) {
        this(id, keys, label, events, null);
    }

    public boolean hasFeatures() {
        return features != null;
    }

    public int length() {
        return keys.length;
    }

    public boolean hasEvents() {
        return !events.isEmpty();
    }

    public Sequence withLabel(Label newLabel) {
        return new Sequence(id, keys, newLabel, events, features);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sequence s && id.equals(s.id) && Arrays.equals(keys, s.keys) && label == s.label;
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + Arrays.hashCode(keys);
    }

    @Override
    public String toString() {
        return "Sequence[" + id + ", " + label + ", " + Arrays.toString(keys) + "]";
    }
}
