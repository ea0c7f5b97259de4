package io.anomalog.stream.topology;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One record of the {@code anomalies} topic: an anomalous session with its lines, keys, the detector's
 * explanation and the times that let a reader see how late the detection was.
 *
 * @param id             stable id of this anomaly ({@link #idOf}): the same session judged again after a restart
 *                       or a rebalance gets the same id, so feedback names it unambiguously
 * @param host           host whose log held the session
 * @param sessionId      the session id (e.g. block id)
 * @param keys           log keys of the session, in order
 * @param lines          the session's lines with their origin
 * @param score          anomaly score (higher = more anomalous)
 * @param summary        one-line explanation
 * @param explanation    the detector's full explanation (method-specific JSON), or null
 * @param unknownTemplates the template text of each key in the session that the model has no key for (it can
 *                       only call them "never seen in training"), or null when there is none
 * @param method         detection method
 * @param modelVersion   which model judged it (method, creation time)
 * @param closeReason    why the session was closed: "gap", "end" or "size"
 * @param firstLineTime  timestamp text of the first line, as the log wrote it
 * @param firstSeenAt    wall-clock time (ISO-8601) the first line reached the detector
 * @param closedAt       wall-clock time the session was closed
 * @param detectedAt     wall-clock time the verdict was made
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnomalyRecord(String id, String host, String sessionId, int[] keys, List<SessionState.Line> lines, double score,
                            String summary, Object explanation, java.util.Map<Integer, String> unknownTemplates,
                            String method, String modelVersion,
                            String closeReason, String firstLineTime, String firstSeenAt, String closedAt,
                            String detectedAt) {

    /**
     * The id of an anomaly: a hash of its host, session id and where its first line was read (topic, partition,
     * offset). A session id that comes back later (a second session of one block) starts at another offset and so
     * gets another id; a task that judges the same session again after a failure gets the same one.
     */
    public static String idOf(String host, String sessionId, SessionState.Line first) {
        String text = host + '\u0000' + sessionId + '\u0000' + (first == null ? ""
                : first.topic() + ':' + first.partition() + ':' + first.offset());
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "a" + java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
