package io.anomalog.core.eval.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.data.KeySequenceReader;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code hdfs-attgru}: the supervised HDFS setup of the ATT-GRU study.
 * <ul>
 *   <li>Train: all 12,000 rows of {@code hdfs/logrobust/robust_log_train.csv} (6,000 normal, 6,000 anomalous
 *       sessions).</li>
 *   <li>Validation: the 2,000 rows of {@code robust_log_valid.csv} (balanced, 1,000 / 1,000), reported on its own.</li>
 *   <li>Test, at the study's 49:1 normal:anomalous ratio: every normal session of {@code hdfs/deeplog/hdfs_train}
 *       (4,855; a different file from the training rows) and {@code round(4855 / 49) = 99} anomalous sessions
 *       drawn by seed from {@code hdfs/deeplog/hdfs_test_abnormal} (all 16,838 anomalous blocks) after removing,
 *       for every anomalous training row, one session with the same key sequence: the LogRobust anomalous rows
 *       are blocks of that same set, and this removal takes out every block that can be a training block.</li>
 * </ul>
 * Unit: session (block). Duplicates (identical key sequences) are kept, as in the sources. Block ids are absent
 * from the LogRobust files, so whether a normal test block is also a normal training block cannot be checked;
 * both are small random samples of 558,223 normal blocks, so about 1% may coincide.
 */
public final class HdfsAttGruProtocol implements Protocol {

    static final String TRAIN = "hdfs/logrobust/robust_log_train.csv";
    static final String VALID = "hdfs/logrobust/robust_log_valid.csv";
    static final String NORMAL = "hdfs/deeplog/hdfs_train";
    static final String ABNORMAL = "hdfs/deeplog/hdfs_test_abnormal";
    static final String TEMPLATES = "loghub_2k/HDFS/HDFS_templates.csv";
    static final int RATIO = 49;

    @Override
    public String name() {
        return "hdfs-attgru";
    }

    @Override
    public String description() {
        return "HDFS sessions, supervised (ATT-GRU study): train on the 12,000 LogRobust rows (6,000/6,000), "
                + "validate on robust_log_valid (1,000/1,000), test on the 4,855 DeepLog normal sessions plus 99 "
                + "anomalous sessions (49:1) drawn by seed from the anomalous blocks not used in training";
    }

    @Override
    public Split load(DataDir data, long seed) {
        List<Sequence> train = KeySequenceReader.read(data.file(TRAIN), Label.UNKNOWN).sequences();
        List<Sequence> validation = KeySequenceReader.read(data.file(VALID), Label.UNKNOWN).sequences();
        List<Sequence> normal = KeySequenceReader.read(data.file(NORMAL), Label.NORMAL).sequences();
        List<Sequence> abnormal = KeySequenceReader.read(data.file(ABNORMAL), Label.ANOMALOUS).sequences();

        Map<String, Integer> trainingAnomalies = new HashMap<>();
        for (Sequence s : train) {
            if (s.label() == Label.ANOMALOUS) {
                trainingAnomalies.merge(Arrays.toString(s.keys()), 1, Integer::sum);
            }
        }
        List<Sequence> pool = new ArrayList<>();
        int removed = 0;
        for (Sequence s : abnormal) {
            String k = Arrays.toString(s.keys());
            Integer left = trainingAnomalies.get(k);
            if (left != null && left > 0) {
                trainingAnomalies.put(k, left - 1);
                removed++;
            } else {
                pool.add(s);
            }
        }
        int anomalies = Math.round(normal.size() / (float) RATIO);
        Collections.shuffle(pool, new Random(seed));
        List<Sequence> test = new ArrayList<>(normal);
        test.addAll(pool.subList(0, Math.min(anomalies, pool.size())));

        List<Sequence> all = new ArrayList<>(train);
        all.addAll(validation);
        all.addAll(test);
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("train", TRAIN + " (all rows)");
        notes.put("validation", VALID + " (balanced)");
        notes.put("testNormal", NORMAL + " (all " + normal.size() + ")");
        notes.put("testAnomalous", anomalies + " drawn by seed " + seed + " from " + ABNORMAL + " after removing "
                + removed + " sessions identical to anomalous training rows (" + pool.size() + " left)");
        notes.put("templates", TEMPLATES);
        return new Split(name(), train, validation, test, KeyVocabulary.of(all), 0, notes);
    }
}
