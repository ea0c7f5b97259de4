package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelDirectoryTest {

    private static final List<String> METHODS = List.of("pca", "invariants", "logcluster", "iforest", "ocsvm",
            "ngram", "zscore", "moving-average", "lr", "svm-rbf", "svm-linear", "tree");

    @Test
    void everyMethodIsRegistered() {
        assertTrue(Detectors.all().keySet().containsAll(METHODS), Detectors.all().keySet().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pca", "invariants", "logcluster", "iforest", "ocsvm", "ngram", "zscore",
            "moving-average", "lr", "svm-rbf", "svm-linear", "tree"})
    void saveAndLoadGiveIdenticalVerdicts(String method, @TempDir Path dir) throws Exception {
        DetectorProvider provider = Detectors.provider(method);
        List<Sequence> training = provider.supervised() ? Synthetic.labelled(120, 1) : Synthetic.normals(120, 1);
        List<Sequence> test = new ArrayList<>(Synthetic.labelled(60, 2));
        test.add(Synthetic.unbalanced("bad"));
        test.add(new Sequence("unknown-key", new int[]{1, 77, 2}, null));
        test.add(new Sequence("empty", new int[0], null));
        KeyVocabulary vocabulary = new KeyVocabulary(List.of(1, 2, 3, 4, 9));
        Detector trained = provider.trainer(Params.empty()).fit(training, vocabulary, Progress.NONE);
        trained.save(dir);
        assertTrue(Files.isRegularFile(dir.resolve(ModelManifest.FILE_NAME)));
        try (Detector loaded = Detectors.load(dir)) {
            assertEquals(method, loaded.method());
            assertEquals(vocabulary, loaded.manifest().keyVocabulary());
            assertEquals(trained.manifest().hyperParameters().keySet(), loaded.manifest().hyperParameters().keySet());
            List<Verdict> a = trained.scoreAll(test);
            List<Verdict> b = loaded.scoreAll(test);
            for (int i = 0; i < test.size(); i++) {
                assertEquals(a.get(i).anomalous(), b.get(i).anomalous(), method + " " + test.get(i));
                assertEquals(a.get(i).score(), b.get(i).score(), 0, method + " " + test.get(i));
                assertTrue(!Double.isNaN(a.get(i).score()), method + " gives a score for " + test.get(i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pca", "invariants", "ngram", "lr"})
    void batchScoringMatchesSingleScoringAndKeepsIds(String method) {
        DetectorProvider provider = Detectors.provider(method);
        List<Sequence> training = provider.supervised() ? Synthetic.labelled(80, 1) : Synthetic.normals(80, 1);
        Detector d = provider.trainer(Params.empty()).fit(training, new KeyVocabulary(List.of(1, 2, 3, 4, 9)),
                Progress.NONE);
        List<Sequence> test = new ArrayList<>(Synthetic.normals(40, 2)); // 25 patterns at most: many repeats
        test.add(Synthetic.unbalanced("bad"));
        List<Verdict> batch = d.scoreAll(test);
        for (int i = 0; i < test.size(); i++) {
            Verdict single = d.score(test.get(i));
            assertEquals(test.get(i).id(), batch.get(i).sequenceId());
            assertEquals(single.anomalous(), batch.get(i).anomalous());
            assertEquals(single.score(), batch.get(i).score(), 0);
        }
    }

    @Test
    void unknownParametersAreRejected() {
        AnomalogException e = assertThrows(AnomalogException.class,
                () -> Detectors.provider("pca").trainer(Params.of("componets", "3")));
        assertTrue(e.getMessage().contains("componets"), e.getMessage());
        assertThrows(AnomalogException.class, () -> Detectors.provider("pca").trainer(Params.of("weighting", "bm25")));
        assertThrows(AnomalogException.class, () -> Detectors.provider("invariants").trainer(Params.of("scales", "a")));
    }

    @Test
    void missingOrCorruptParameterFilesAreClearErrors(@TempDir Path dir) throws Exception {
        Detector d = Detectors.provider("zscore").trainer(Params.empty())
                .fit(Synthetic.normals(10, 1), new KeyVocabulary(List.of(1, 2, 3, 4)), Progress.NONE);
        d.save(dir);
        Files.writeString(dir.resolve(ModelFiles.PARAMETERS), "{not json");
        AnomalogException corrupt = assertThrows(AnomalogException.class, () -> Detectors.load(dir));
        assertTrue(corrupt.getMessage().contains("corrupt"), corrupt.getMessage());
        Files.delete(dir.resolve(ModelFiles.PARAMETERS));
        AnomalogException missing = assertThrows(AnomalogException.class, () -> Detectors.load(dir));
        assertTrue(missing.getMessage().contains(ModelFiles.PARAMETERS), missing.getMessage());
    }

    @Test
    void aNewerMethodVersionIsRefused(@TempDir Path dir) throws Exception {
        Detector d = Detectors.provider("ngram").trainer(Params.empty())
                .fit(Synthetic.normals(10, 1), new KeyVocabulary(List.of(1, 2, 3, 4)), Progress.NONE);
        d.save(dir);
        ModelManifest m = ModelManifest.read(dir);
        new ModelManifest(m.formatVersion(), m.method(), 99, m.anomalogVersion(), m.createdAt(), m.hyperParameters(),
                m.vocabulary(), m.templateStoreHash(), m.training(), m.metrics(), m.provenance()).write(dir);
        AnomalogException e = assertThrows(AnomalogException.class, () -> Detectors.load(dir));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }
}
