package io.anomalog.server;

import io.anomalog.stream.topology.AnomalyRecord;
import io.anomalog.stream.topology.SessionState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Anomaly records as the detector writes them, for tests of the console. */
final class Fixtures {

    private Fixtures() {
    }

    static AnomalyRecord anomaly(String host, String session, long offset, Instant detectedAt, String... lines) {
        List<SessionState.Line> ls = new java.util.ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            ls.add(new SessionState.Line(i + 1, lines[i], "081109 2035" + i, "logs." + host, 0, offset + i, 100L * i));
        }
        String id = AnomalyRecord.idOf(host, session, ls.isEmpty() ? null : ls.get(0));
        int[] keys = new int[lines.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = i + 1;
        }
        Map<String, Object> explanation = Map.of("position", 1, "observed", 2, "expected", List.of(
                Map.of("key", 3, "probability", 0.9)));
        return new AnomalyRecord(id, host, session, keys, ls, 0.97, "key 2 at position 1 was not among the top 9 expected",
                explanation, null, "deeplog", "deeplog v1", "gap", "081109 20350", detectedAt.toString(),
                detectedAt.toString(), detectedAt.toString());
    }
}
