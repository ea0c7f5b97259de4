package io.anomalog.bench.harness;

import java.util.Map;

/** Method results made by hand, for tests of what is computed from them. */
public final class TestResults {

    private TestResults() {
    }

    /** A result of {@code method} with these verdicts, as the harness would build it. */
    public static MethodResult of(String method, ScoredTest test, long projectedNormals, Map<String, Object> probes) {
        var cm = test.confusion();
        return new MethodResult(method, method + " by hand", false, 10, 1.5, 0.5, test, cm, test.roc(),
                projectedNormals > 0 ? Projection.of(cm, projectedNormals) : null, Map.of("seed", 1),
                Map.of(), Map.of(), probes);
    }

    public static MethodResult of(String method, ScoredTest test) {
        return of(method, test, 0, Map.of());
    }
}
