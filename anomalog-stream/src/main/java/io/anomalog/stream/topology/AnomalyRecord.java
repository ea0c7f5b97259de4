package io.anomalog.stream.topology;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One record of the {@code anomalies} topic: an anomalous session with its lines, keys, the detector's
 * explanation and the times that let a reader see how late the detection was.
 *
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
public record AnomalyRecord(String host, String sessionId, int[] keys, List<SessionState.Line> lines, double score,
                            String summary, Object explanation, java.util.Map<Integer, String> unknownTemplates,
                            String method, String modelVersion,
                            String closeReason, String firstLineTime, String firstSeenAt, String closedAt,
                            String detectedAt) {
}
