package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.eval.RocCurve;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SupervisedBaselinesTest {

    private static final KeyVocabulary VOCABULARY = new KeyVocabulary(List.of(1, 2, 3, 4, 9));

    @ParameterizedTest
    @ValueSource(strings = {"lr", "svm-rbf", "svm-linear", "tree"})
    void separatesSessionsThatCarryTheErrorKey(String method) {
        Detector d = Detectors.provider(method).trainer(Params.empty())
                .fit(Synthetic.labelled(200, 1), VOCABULARY, Progress.NONE);
        List<Sequence> test = Synthetic.labelled(100, 2);
        List<Verdict> verdicts = d.scoreAll(test);
        double[] scores = new double[test.size()];
        boolean[] truth = new boolean[test.size()];
        for (int i = 0; i < test.size(); i++) {
            truth[i] = test.get(i).label() == Label.ANOMALOUS;
            scores[i] = verdicts.get(i).score();
            assertEquals(truth[i], verdicts.get(i).anomalous(), method + " on " + test.get(i));
        }
        assertEquals(1.0, RocCurve.of(scores, truth).auc(), 1e-12, method + " scores must rank anomalies first");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lr", "tree"})
    void needsBothLabels(String method) {
        var trainer = Detectors.provider(method).trainer(Params.empty());
        AnomalogException e = assertThrows(AnomalogException.class,
                () -> trainer.fit(Synthetic.normals(20, 1), VOCABULARY, Progress.NONE));
        assertTrue(e.getMessage().contains("supervised"), e.getMessage());
    }
}
