package io.anomalog.stream.feedback;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.anomalog.stream.topology.AnomalyRecord;
import io.anomalog.stream.topology.SessionState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One record of the {@code anomalog.feedback} topic: a person's verdict on one anomaly. It carries the anomaly's
 * keys and lines, so whoever learns from it (the online update) needs nothing but this topic.
 *
 * @param formatVersion    layout version of this record
 * @param anomalyId        the anomaly's {@link AnomalyRecord#id() id}
 * @param host             host of the anomalous session
 * @param sessionId        its session id
 * @param verdict          what the person said
 * @param note             free text, or null
 * @param who              who said it (user name, or the console's user)
 * @param at               when (ISO-8601)
 * @param modelVersion     the model version that flagged it
 * @param method           the detection method that flagged it
 * @param keys             the session's log keys
 * @param lines            the session's lines
 * @param unknownTemplates texts of the session's keys the model had no key for, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedbackRecord(int formatVersion, String anomalyId, String host, String sessionId,
                             FeedbackVerdict verdict, String note, String who, String at, String modelVersion,
                             String method, int[] keys, List<String> lines, Map<Integer, String> unknownTemplates) {

    public static final int FORMAT_VERSION = 1;

    /** The verdict on an anomaly, given now. */
    public static FeedbackRecord of(AnomalyRecord a, FeedbackVerdict verdict, String note, String who) {
        return new FeedbackRecord(FORMAT_VERSION, a.id(), a.host(), a.sessionId(), verdict, note, who,
                Instant.now().toString(), a.modelVersion(), a.method(), a.keys(),
                a.lines() == null ? List.of() : a.lines().stream().map(SessionState.Line::text).toList(),
                a.unknownTemplates());
    }
}
