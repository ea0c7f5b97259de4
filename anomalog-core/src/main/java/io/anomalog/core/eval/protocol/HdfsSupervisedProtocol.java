package io.anomalog.core.eval.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.data.KeySequenceReader;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code hdfs-supervised}: HDFS block sessions, balanced training as in loglizer's "uniform" split, test at the
 * natural anomaly ratio of HDFS_v1 (16,838 anomalous of 575,061 blocks, 2.93 %).
 * <ul>
 *   <li>Training: {@value #DEFAULT_TRAIN_PER_CLASS} normal and {@value #DEFAULT_TRAIN_PER_CLASS} anomalous
 *   sessions drawn with the seed from {@code hdfs/logrobust/robust_log_train.csv}.</li>
 *   <li>Test normals: every other normal session of {@code robust_log_train.csv} and
 *   {@code robust_log_valid.csv}.</li>
 *   <li>Test anomalies: drawn with the seed from {@code hdfs/deeplog/hdfs_test_abnormal} (all anomalous blocks)
 *   after removing one occurrence of each training anomaly (the files carry no block ids, so sessions are matched
 *   by their key sequence), as many as give the natural ratio.</li>
 * </ul>
 * Unit: session (one block). Random, not chronological (the files carry no timestamps). Duplicate key sequences
 * are counted: HDFS has few distinct normal sessions, and each block is one judgement.
 */
public final class HdfsSupervisedProtocol implements Protocol {

    public static final String NAME = "hdfs-supervised";
    public static final int DEFAULT_TRAIN_PER_CLASS = 2000;
    /** Anomalous / normal blocks of HDFS_v1: 16,838 / 558,223. */
    public static final double NATURAL_ANOMALY_ODDS = 16_838.0 / 558_223.0;

    static final String TRAIN_FILE = "hdfs/logrobust/robust_log_train.csv";
    static final String VALID_FILE = "hdfs/logrobust/robust_log_valid.csv";
    static final String ABNORMAL_FILE = "hdfs/deeplog/hdfs_test_abnormal";

    private final int trainPerClass;

    public HdfsSupervisedProtocol() {
        this(DEFAULT_TRAIN_PER_CLASS);
    }

    public HdfsSupervisedProtocol(int trainPerClass) {
        this.trainPerClass = trainPerClass;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "HDFS block sessions (DeepLog key numbering). Training: " + trainPerClass + " normal + "
                + trainPerClass + " anomalous sessions drawn with the seed from hdfs/logrobust/robust_log_train.csv "
                + "(balanced, like loglizer's uniform split). Test: every other normal session of "
                + "robust_log_train.csv and robust_log_valid.csv, plus anomalous sessions drawn with the seed from "
                + "hdfs/deeplog/hdfs_test_abnormal (training anomalies removed by key sequence) at HDFS_v1's natural "
                + "ratio of 16,838 anomalous to 558,223 normal blocks (2.93 %). Unit: session. Split: random "
                + "(seeded), not chronological. Duplicate key sequences are counted. Unsupervised methods train "
                + "on the training normals only.";
    }

    @Override
    public Split load(DataDir data, long seed) {
        List<Sequence> robustTrain = read(data, TRAIN_FILE, Label.UNKNOWN);
        List<Sequence> robustValid = read(data, VALID_FILE, Label.UNKNOWN);
        List<Sequence> abnormal = read(data, ABNORMAL_FILE, Label.ANOMALOUS);

        Random rng = new Random(seed);
        List<Sequence> trainNormals = new ArrayList<>(byLabel(robustTrain, Label.NORMAL));
        List<Sequence> trainAnomalies = new ArrayList<>(byLabel(robustTrain, Label.ANOMALOUS));
        Collections.shuffle(trainNormals, rng);
        Collections.shuffle(trainAnomalies, rng);
        if (trainNormals.size() < trainPerClass || trainAnomalies.size() < trainPerClass) {
            throw new AnomalogException(TRAIN_FILE + " has " + trainNormals.size() + " normal and "
                    + trainAnomalies.size() + " anomalous sessions; " + NAME + " needs " + trainPerClass + " of each");
        }
        List<Sequence> train = new ArrayList<>(trainNormals.subList(0, trainPerClass));
        train.addAll(trainAnomalies.subList(0, trainPerClass));
        Collections.shuffle(train, rng);

        List<Sequence> testNormals = new ArrayList<>(trainNormals.subList(trainPerClass, trainNormals.size()));
        testNormals.addAll(byLabel(robustValid, Label.NORMAL));

        // The anomaly pool is every anomalous block; the training anomalies are blocks of it too, so one
        // occurrence of each training key sequence leaves the pool.
        Map<String, Integer> used = new HashMap<>();
        for (Sequence s : trainAnomalies.subList(0, trainPerClass)) {
            used.merge(Arrays.toString(s.keys()), 1, Integer::sum);
        }
        List<Sequence> pool = new ArrayList<>();
        int removed = 0;
        for (Sequence s : abnormal) {
            String k = Arrays.toString(s.keys());
            Integer n = used.get(k);
            if (n != null && n > 0) {
                used.put(k, n - 1);
                removed++;
            } else {
                pool.add(s);
            }
        }
        int wanted = (int) Math.round(testNormals.size() * NATURAL_ANOMALY_ODDS);
        Collections.shuffle(pool, rng);
        if (pool.size() < wanted) {
            throw new AnomalogException(ABNORMAL_FILE + " leaves " + pool.size() + " anomalous sessions; "
                    + NAME + " needs " + wanted);
        }
        List<Sequence> test = new ArrayList<>(testNormals);
        test.addAll(pool.subList(0, wanted));
        Collections.shuffle(test, rng);

        List<Sequence> all = new ArrayList<>(train);
        all.addAll(test);
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("train normal", trainPerClass);
        notes.put("train anomalous", trainPerClass);
        notes.put("test normal", testNormals.size());
        notes.put("test anomalous", wanted);
        notes.put("test anomaly ratio", (double) wanted / test.size());
        notes.put("anomalies removed from pool as training sessions", removed);
        notes.put("seed", seed);
        return new Split(NAME, List.copyOf(train), List.of(), List.copyOf(test), KeyVocabulary.of(all), 0, notes);
    }

    private static List<Sequence> byLabel(List<Sequence> list, Label label) {
        return list.stream().filter(s -> s.label() == label).toList();
    }

    private static List<Sequence> read(DataDir data, String file, Label label) {
        KeySequenceReader.Result r = KeySequenceReader.read(data.file(file), label);
        if (!r.rejected().isEmpty()) {
            var d = r.rejected().get(0);
            throw new AnomalogException(file + ": " + r.rejected().size() + " line(s) are not key sequences (line "
                    + d.lineNumber() + ": " + d.reason() + "); " + NAME + " needs the file intact");
        }
        return r.sequences();
    }
}
