package io.anomalog.stream.testing;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/** Test double registered as method "keyrule": learns the set of keys, flags sessions with any other key. */
public final class KeyRuleProvider implements DetectorProvider {

    @Override
    public String method() {
        return "keyrule";
    }

    @Override
    public String description() {
        return "test double: unknown keys are anomalies";
    }

    @Override
    public boolean supervised() {
        return false;
    }

    @Override
    public Trainer trainer(Params params) {
        return new Trainer() {
            @Override
            public String method() {
                return "keyrule";
            }

            @Override
            public Trainer withProvenance(io.anomalog.core.detect.Provenance p) {
                return this;
            }

            @Override
            public boolean supervised() {
                return false;
            }

            @Override
            public Detector fit(List<Sequence> training, KeyVocabulary vocabulary, Progress progress) {
                return new KeyRuleDetector(new HashSet<>(KeyVocabulary.of(training).rawKeys())) {
                };
            }
        };
    }

    @Override
    public Detector load(Path modelDir, ModelManifest manifest) {
        return new KeyRuleDetector(new HashSet<>(manifest.vocabulary()));
    }
}
