package io.anomalog.ml.attgru;

import io.anomalog.core.data.KeySequenceReader;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.RocCurve;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-hot LSTM classifier. On a small set of real HDFS sessions with its default settings: few sessions mean
 * few optimizer steps per epoch, and training must not stop before the network has left its first, constant
 * phase (where it would flag every session or none, with a ROC AUC near or below chance).
 */
class OneHotClassifierTest {

    static final Path DATA = Path.of(System.getProperty("anomalog.repo", "..")).resolve("data/hdfs");

    static List<Sequence> read(String file, Label label, int from, int to) {
        return KeySequenceReader.read(DATA.resolve(file), label).sequences().subList(from, to);
    }

    @Test
    void trainedOnAFewHundredHdfsSessionsItRanksAnomaliesAboveNormalsAndFlagsFewNormals() {
        List<Sequence> train = new ArrayList<>(read("hdfs_train", Label.NORMAL, 0, 200));
        train.addAll(read("hdfs_test_abnormal_sample", Label.ANOMALOUS, 0, 200));
        // normal test sessions from another file (LogRobust's), as the hdfs-supervised protocol tests
        List<Sequence> test = new ArrayList<>(read("hdfs_test_normal_sample", Label.NORMAL, 0, 400));
        test.addAll(read("hdfs_test_abnormal_sample", Label.ANOMALOUS, 1000, 1200));
        assertRanksAnomaliesFirstAndFlagsFewNormals(train, test);
    }

    static void assertRanksAnomaliesFirstAndFlagsFewNormals(List<Sequence> train, List<Sequence> test) {
        List<Sequence> all = new ArrayList<>(train);
        all.addAll(test);
        try (Detector detector = new WindowClassifierProvider.LstmClassifier().trainer(Params.empty())
                .fit(train, KeyVocabulary.of(all), Progress.NONE)) {
            List<Verdict> verdicts = detector.scoreAll(test);
            double[] scores = new double[test.size()];
            boolean[] anomalous = new boolean[test.size()];
            ConfusionMatrix cm = ConfusionMatrix.empty();
            for (int i = 0; i < test.size(); i++) {
                scores[i] = verdicts.get(i).score();
                anomalous[i] = test.get(i).label() == Label.ANOMALOUS;
                cm = cm.add(anomalous[i], verdicts.get(i).anomalous());
            }
            double auc = RocCurve.of(scores, anomalous).auc();
            assertTrue(auc > 0.95, "ROC AUC " + auc);
            double fpr = cm.fp() / (double) (cm.fp() + cm.tn());
            assertTrue(fpr < 0.1, "normal sessions flagged: " + cm.fp() + " of " + (cm.fp() + cm.tn()));
            assertTrue(cm.recall() > 0.8, "recall " + cm.recall());
        }
    }

    /**
     * Sessions from text: the same keys in both classes, but in anomalous sessions one event has level WARN and
     * its first parameter says "failed". Only the attributes tell the classes apart.
     */
    static List<Sequence> parsed(int count, long seed) {
        Random r = new Random(seed);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean anomalous = i % 2 == 1;
            int odd = r.nextInt(6);
            int[] keys = new int[6];
            List<ParsedEvent> events = new ArrayList<>();
            for (int t = 0; t < keys.length; t++) {
                keys[t] = 1 + r.nextInt(3);
                boolean marked = anomalous && t == odd;
                String level = marked ? "WARN" : "INFO";
                LogRecord record = new LogRecord("test", t + 1, -1, null, null, null, level, "dfs.DataNode",
                        Map.of("Level", level, "Component", "dfs.DataNode"), "line", "line", true, false);
                events.add(new ParsedEvent(record, keys[t], "template <*>", List.of(marked ? "failed" : "ok")));
            }
            out.add(new Sequence("s" + seed + "-" + i, keys, Label.of(anomalous), events));
        }
        return out;
    }

    static double auc(Detector detector, List<Sequence> test) {
        List<Verdict> verdicts = detector.scoreAll(test);
        double[] scores = new double[test.size()];
        boolean[] anomalous = new boolean[test.size()];
        for (int i = 0; i < test.size(); i++) {
            scores[i] = verdicts.get(i).score();
            anomalous[i] = test.get(i).label() == Label.ANOMALOUS;
        }
        return RocCurve.of(scores, anomalous).auc();
    }

    @Test
    void chosenFieldsAndParametersAreAttributesAndWithoutThemOnlyKeysAreSeen() {
        List<Sequence> train = parsed(160, 1);
        List<Sequence> test = parsed(60, 2);
        KeyVocabulary vocabulary = new KeyVocabulary(List.of(1, 2, 3));
        for (String attributes : List.of("level", "component,param0")) {
            try (Detector d = new WindowClassifierProvider.LstmClassifier().trainer(Params.of("attributes",
                    attributes, "hidden", "16", "dense", "16", "lr", "0.01", "epochs", "30")).fit(train, vocabulary, Progress.NONE)) {
                assertTrue(auc(d, test) > 0.95, attributes + ": ROC AUC " + auc(d, test));
            }
        }
        try (Detector d = new WindowClassifierProvider.LstmClassifier().trainer(Params.of("attributes", "none",
                "hidden", "16", "dense", "16", "lr", "0.01", "epochs", "30")).fit(train, vocabulary, Progress.NONE)) {
            double keysOnly = auc(d, test);
            assertTrue(keysOnly < 0.7, "keys alone carry no signal here: ROC AUC " + keysOnly);
        }
    }

    @Test
    void aModelWithAttributesReloadsExactlyAndAnOlderFormatIsRefusedWithAClearMessage(@TempDir Path dir)
            throws Exception {
        List<Sequence> train = parsed(60, 1);
        List<Sequence> test = parsed(20, 2);
        try (Detector d = new WindowClassifierProvider.LstmClassifier().trainer(Params.of("attributes",
                "level,param0", "hidden", "8", "dense", "8", "epochs", "3")).fit(train, new KeyVocabulary(
                List.of(1, 2, 3)), Progress.NONE)) {
            d.save(dir);
            List<Verdict> before = d.scoreAll(test);
            try (Detector loaded = Detectors.load(dir)) {
                List<Verdict> after = loaded.scoreAll(test);
                for (int i = 0; i < test.size(); i++) {
                    assertEquals(before.get(i).score(), after.get(i).score(), 0.0, "same score after reload");
                    assertEquals(before.get(i).anomalous(), after.get(i).anomalous());
                }
            }
        }
        ModelManifest m = ModelManifest.read(dir);
        new ModelManifest(m.formatVersion(), m.method(), 1, m.anomalogVersion(), m.createdAt(), m.hyperParameters(),
                m.vocabulary(), m.templateStoreHash(), m.training(), m.metrics(), m.provenance()).write(dir);
        AnomalogException e = assertThrows(AnomalogException.class, () -> Detectors.load(dir));
        assertTrue(e.getMessage().contains("version 1") && e.getMessage().contains("retrain"), e.getMessage());
    }

    @Test
    void keyFileSessionsTrainOnKeysAloneAndTheManifestSaysSo() {
        List<Sequence> train = new ArrayList<>(read("hdfs_train", Label.NORMAL, 0, 40));
        train.addAll(read("hdfs_test_abnormal_sample", Label.ANOMALOUS, 0, 40));
        try (Detector d = new WindowClassifierProvider.LstmClassifier().trainer(Params.of("attributes",
                "level,param0", "epochs", "2")).fit(train, KeyVocabulary.of(train), Progress.NONE)) {
            Object note = d.manifest().training().get("attributes");
            assertTrue(String.valueOf(note).contains("log keys only"), String.valueOf(note));
            Architecture arch = ((WindowClassifierDetector) d).model().architecture();
            assertEquals(1, arch.channels(), "no attribute channel");
        }
    }
}
