package io.anomalog.stream.feedback;

import io.anomalog.core.util.AnomalogException;
import io.anomalog.stream.topology.AnomalyRecord;
import io.anomalog.stream.topology.SessionState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedbackDeskTest {

    private final AnomalyHistory history = new AnomalyHistory();
    private final List<FeedbackRecord> written = new ArrayList<>();
    private final FeedbackDesk desk = new FeedbackDesk(history, written::add);

    private static AnomalyRecord anomaly(String session, long offset) {
        var line = new SessionState.Line(3, "Receiving block " + session, "081109 203518", "logs.h1", 0, offset, -1);
        return new AnomalyRecord(AnomalyRecord.idOf("h1", session, line), "h1", session, new int[]{3, 3}, List.of(line),
                9.5, "key 3 not expected", null, Map.of(3, "Receiving block <*>"), "deeplog", "v2", "gap",
                "081109 203518", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "2026-01-01T00:00:01Z");
    }

    @Test
    void aVerdictOnAKnownAnomalyIsWrittenWithItsSessionKeysLinesAndModelVersion() {
        AnomalyRecord a = anomaly("blk_1", 10);
        history.add(a);
        FeedbackRecord r = desk.submit(a.id(), "False_Positive", "  nightly backup ", "ana");
        assertEquals(List.of(r), written);
        assertEquals(FeedbackVerdict.FALSE_POSITIVE, r.verdict());
        assertEquals("blk_1", r.sessionId());
        assertEquals("h1", r.host());
        assertEquals("v2", r.modelVersion());
        assertEquals("nightly backup", r.note());
        assertEquals("ana", r.who());
        assertArrayEquals(new int[]{3, 3}, r.keys());
        assertEquals(List.of("Receiving block blk_1"), r.lines());
        assertEquals("Receiving block <*>", r.unknownTemplates().get(3));
        assertEquals(r, history.feedbackOn(a.id()).orElseThrow());
    }

    @Test
    void anUnknownIdAnUnknownVerdictASecondVerdictOrAnOverlongNoteAreRefusedAndWriteNothing() {
        AnomalyRecord a = anomaly("blk_1", 10);
        history.add(a);
        var unknown = assertThrows(AnomalogException.class, () -> desk.submit("a0000000000000000", "confirmed", null, "x"));
        assertTrue(unknown.getMessage().contains("no anomaly with id 'a0000000000000000' (1 anomalies known)"),
                unknown.getMessage());
        var verdict = assertThrows(AnomalogException.class, () -> desk.submit(a.id(), "maybe", null, "x"));
        assertTrue(verdict.getMessage().contains("unknown verdict 'maybe': use one of false-positive, confirmed"),
                verdict.getMessage());
        assertThrows(AnomalogException.class, () -> desk.submit(a.id(), "confirmed", "x".repeat(2001), "x"));
        assertTrue(written.isEmpty());

        desk.submit(a.id(), "confirmed", null, "ana");
        var again = assertThrows(AnomalogException.class, () -> desk.submit(a.id(), "false-positive", null, "bo"));
        assertTrue(again.getMessage().startsWith("anomaly " + a.id() + " was marked confirmed already, by ana"),
                again.getMessage());
        assertTrue(again.getMessage().contains("anomalog model rollback"), again.getMessage());
        assertEquals(1, written.size());
    }

    @Test
    void theHistoryKeepsTheFirstCopyOfAnAnomalyJudgedTwiceAndMatchesFeedbackThatCameBeforeIt() {
        AnomalyRecord a = anomaly("blk_1", 10);
        FeedbackRecord early = FeedbackRecord.of(a, FeedbackVerdict.CONFIRMED, null, "ana");
        history.add(early);
        assertEquals(List.of(early), history.orphans());
        history.add(a);
        history.add(anomaly("blk_1", 10));
        history.add(anomaly("blk_2", 11));
        assertEquals(2, history.size());
        assertTrue(history.orphans().isEmpty());
        assertEquals(List.of("blk_2", "blk_1"), history.list(x -> true).stream().map(AnomalyRecord::sessionId).toList());
    }
}
