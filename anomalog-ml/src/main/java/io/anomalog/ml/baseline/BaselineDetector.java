package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.session.Sequence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Common part of the classic detectors: the manifest, saving parameters before the manifest, and batch scoring
 * that judges each distinct key sequence once (log data repeat the same sessions and windows thousands of
 * times, and these detectors judge a sequence by its keys alone).
 */
abstract class BaselineDetector implements Detector {

    protected final ModelManifest manifest;

    BaselineDetector(ModelManifest manifest) {
        this.manifest = manifest;
    }

    @Override
    public String method() {
        return manifest.method();
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    /** A key sequence as a map key. */
    private record Keys(int[] keys) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Keys k && Arrays.equals(keys, k.keys);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(keys);
        }
    }

    @Override
    public List<Verdict> scoreAll(List<Sequence> sequences) {
        Map<Keys, Verdict> judged = new HashMap<>();
        List<Verdict> out = new ArrayList<>(sequences.size());
        for (Sequence s : sequences) {
            Verdict v = judged.computeIfAbsent(new Keys(s.keys()), k -> score(s));
            out.add(v.sequenceId().equals(s.id()) ? v
                    : new Verdict(s.id(), v.anomalous(), v.score(), v.explanation()));
        }
        return out;
    }

    /** Writes the method's parameter files (the manifest follows). */
    protected abstract void writeParameters(Path modelDir) throws IOException;

    @Override
    public final void save(Path modelDir) throws IOException {
        writeParameters(modelDir);
        manifest.write(modelDir);
    }
}
