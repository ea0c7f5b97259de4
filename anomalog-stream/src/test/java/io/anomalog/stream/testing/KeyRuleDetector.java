package io.anomalog.stream.testing;

import io.anomalog.core.detect.Provenance;
import io.anomalog.core.detect.Updatable;
import io.anomalog.core.util.Progress;
import io.anomalog.core.detect.Explanation;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.session.Sequence;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double: a session is anomalous when it holds a key outside the known set; records how often each
 * session id was scored. It learns from feedback by adding the marked sessions' keys to its set.
 */
public class KeyRuleDetector implements Updatable {

    public record Why(List<Integer> unknownKeys) implements Explanation {
        @Override
        public String summary() {
            return "unknown keys " + unknownKeys;
        }
    }

    private final Set<Integer> known;
    public final Map<String, AtomicInteger> scored = new ConcurrentHashMap<>();

    public KeyRuleDetector(Set<Integer> known) {
        this.known = known;
    }

    @Override
    public String method() {
        return "keyrule";
    }

    @Override
    public Verdict score(Sequence s) {
        scored.computeIfAbsent(s.id(), k -> new AtomicInteger()).incrementAndGet();
        List<Integer> unknown = java.util.Arrays.stream(s.keys()).filter(k -> !known.contains(k)).boxed().toList();
        return new Verdict(s.id(), !unknown.isEmpty(), unknown.size(), unknown.isEmpty() ? null : new Why(unknown));
    }

    @Override
    public Updated learnNormal(List<Sequence> normal, Provenance provenance, Settings settings, Progress progress) {
        Set<Integer> more = new java.util.HashSet<>(known);
        normal.forEach(s -> java.util.Arrays.stream(s.keys()).forEach(more::add));
        return new Updated(new KeyRuleDetector(more), Map.of("keysAdded", more.size() - known.size()));
    }

    @Override
    public ModelManifest manifest() {
        return new ModelManifest(1, "keyrule", 1, "test", "2024-01-01T00:00:00Z", Map.of(),
                known.stream().sorted().toList(), null, Map.of(), Map.of(), null);
    }

    @Override
    public void save(Path modelDir) throws java.io.IOException {
        manifest().write(modelDir);
    }
}
