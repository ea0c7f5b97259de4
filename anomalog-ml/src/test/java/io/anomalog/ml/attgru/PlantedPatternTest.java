package io.anomalog.ml.attgru;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny ATT-GRU learns a planted, separable pattern; its attention finds the planted key; save/load is exact. */
class PlantedPatternTest {

    static final int PLANTED = 9;

    /** Normal sessions draw keys 1..5; anomalous ones are normal sessions with key 9 planted at a random place. */
    static List<Sequence> sessions(int count, long seed) {
        Random r = new Random(seed);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] keys = new int[8 + r.nextInt(8)];
            for (int t = 0; t < keys.length; t++) {
                keys[t] = 1 + r.nextInt(5);
            }
            boolean anomalous = i % 2 == 1;
            if (anomalous) {
                keys[r.nextInt(keys.length)] = PLANTED;
            }
            out.add(new Sequence("s" + seed + "-" + i, keys, Label.of(anomalous)));
        }
        return out;
    }

    @Test
    void learnsPlantedKeyAttendsToItAndSurvivesSaveLoad(@TempDir Path dir) throws Exception {
        List<Sequence> train = sessions(300, 1);
        List<Sequence> test = sessions(100, 2);
        KeyVocabulary vocabulary = new KeyVocabulary(List.of(1, 2, 3, 4, 5, PLANTED));
        Params params = Params.of("hidden", "16", "dense", "16", "dimension", "8", "attention", "8",
                "epochs", "25", "batch", "64", "lr", "0.01", "threads", "1");
        try (Detector detector = new WindowClassifierProvider.AttGru().trainer(params)
                .fit(train, vocabulary, Progress.NONE)) {
            List<Verdict> verdicts = detector.scoreAll(test);
            int correct = 0;
            double plantedWeight = 0;
            int anomalies = 0;
            for (int i = 0; i < test.size(); i++) {
                Sequence s = test.get(i);
                Verdict v = verdicts.get(i);
                if (v.anomalous() == (s.label() == Label.ANOMALOUS)) {
                    correct++;
                }
                WindowExplanation e = (WindowExplanation) v.explanation();
                float sum = 0;
                for (float w : e.weights()) {
                    sum += w;
                }
                assertEquals(1f, sum, 1e-4f, "attention weights of a window sum to 1");
                if (s.label() == Label.ANOMALOUS) {
                    for (int t = 0; t < e.keys().length; t++) {
                        if (e.keys()[t] == PLANTED) {
                            plantedWeight += e.weights()[t];
                            anomalies++;
                        }
                    }
                }
            }
            assertTrue(correct >= 95, "accuracy on the planted pattern: " + correct + "/100");
            double meanPlanted = plantedWeight / anomalies;
            assertTrue(meanPlanted > 1.5 / 10, "planted key draws more than uniform attention: " + meanPlanted);

            detector.save(dir);
            try (Detector loaded = Detectors.load(dir)) {
                assertEquals("attgru", loaded.method());
                List<Verdict> again = loaded.scoreAll(test);
                for (int i = 0; i < test.size(); i++) {
                    assertEquals(verdicts.get(i).score(), again.get(i).score(), 0.0, "identical after reload");
                    assertArrayEquals(((WindowExplanation) verdicts.get(i).explanation()).weights(),
                            ((WindowExplanation) again.get(i).explanation()).weights(), 0f);
                }
            }
        }
    }
}
