package io.anomalog.stream.topology;

import io.anomalog.core.features.FeatureRows;

import java.util.List;
import java.util.function.Supplier;

/**
 * A session or window the grouping stage closed, on its way to the scoring stage: its log keys for the detector,
 * and its lines on demand (read from the state store only when the verdict is an anomaly; the grouping stage
 * removes them once the scoring stage, which runs within its forward call, is done).
 *
 * @param host        the host whose topic it came from
 * @param id          the session id, or the window id
 * @param keys        its log keys in order
 * @param closeReason why it was closed: gap, end, size, age (sessions), full, idle, time (windows)
 * @param firstSeenMillis wall-clock time its first line reached the detector
 * @param closedAtMillis  wall-clock time it was closed
 * @param lines       its lines, read when asked
 * @param features    a time window's feature vectors with the window's series history, for models that judge them;
 *                    null otherwise
 */
record ClosedGroup(String host, String id, int[] keys, String closeReason, long firstSeenMillis, long closedAtMillis,
                   Supplier<List<SessionState.Line>> lines, FeatureRows features) {

    ClosedGroup(String host, String id, int[] keys, String closeReason, long firstSeenMillis, long closedAtMillis,
                Supplier<List<SessionState.Line>> lines) {
        this(host, id, keys, closeReason, firstSeenMillis, closedAtMillis, lines, null);
    }
}
