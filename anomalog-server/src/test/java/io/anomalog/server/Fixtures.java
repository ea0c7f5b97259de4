package io.anomalog.server;

import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.ModelRegistry;
import io.anomalog.ml.deeplog.workflow.Workflow;
import io.anomalog.ml.deeplog.workflow.Workflows;
import io.anomalog.stream.topology.AnomalyRecord;
import io.anomalog.stream.topology.SessionState;

import java.nio.file.Files;
import java.nio.file.Path;
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

    /** start -> 1 -> 2 -> end, the workflow of a DeepLog model whose key 1 has a template holding markup. */
    static final Workflow LINE = Workflow.of(1, List.of(1, 2), List.of(new Workflow.Edge(null, 1, 40),
            new Workflow.Edge(1, 2, 40), new Workflow.Edge(2, null, 40)));

    /** A DeepLog model directory: v1 with workflows, v2 (made by an update) without. */
    static Path deepLogModel(Path m) throws Exception {
        ModelManifest.create("deeplog", 1, Map.of(), null, null, Map.of(), Map.of()).write(m);
        new Workflows(Workflows.FORMAT_VERSION, 0.01, 0.3, LINE, List.of()).save(m);
        Files.writeString(m.resolve("templates.json"), "{\"1\": \"open <script>window.pwned = 1</script>\", "
                + "\"2\": \"close block <*>\"}");
        ModelRegistry.of(m).add("v1", "deeplog", List.of(), "online update", null,
                d -> ModelManifest.create("deeplog", 1, Map.of(), null, null, Map.of(), Map.of()).write(d), false, "test");
        return m;
    }

    /** An anomaly of host node-9 with the keys, method, model version and explanation given; a line per key. */
    static AnomalyRecord record(String session, long offset, String method, String version, int[] keys,
                                Object explanation, Map<Integer, String> unknown) {
        List<SessionState.Line> ls = new java.util.ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            ls.add(new SessionState.Line(i + 1, "line " + i, "081109 2035" + i, "logs.node-9", 0, offset + i, 100L * i));
        }
        return new AnomalyRecord(AnomalyRecord.idOf("node-9", session, ls.get(0)), "node-9", session, keys, ls, 0.9,
                "unexpected", explanation, unknown, method, version, "gap", "081109 20350", Instant.now().toString(),
                Instant.now().toString(), Instant.now().toString());
    }
}
