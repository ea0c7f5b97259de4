package io.anomalog.core.eval.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hdfs-deeplog}: DeepLog's HDFS setup. Train on the 4,855 normal sessions of {@code hdfs/deeplog/hdfs_train};
 * test on all 16,838 anomalous sessions ({@code hdfs_test_abnormal}) and on the normal sessions available in the
 * same key numbering, the label-0 rows of {@code hdfs/logrobust/robust_log_train.csv} and
 * {@code robust_log_valid.csv} (7,000), because DeepLog's 553,366-session normal test file is not public. Unit:
 * one block session; identical sequences count once per session (no de-duplication). F1 is also projected to
 * DeepLog's original mix of 553,366 normal sessions by scaling false positives with the measured FPR.
 */
public final class HdfsDeepLogProtocol implements Protocol {

    public static final String NAME = "hdfs-deeplog";
    /** Normal test sessions in DeepLog's original HDFS test set. */
    public static final long DEEPLOG_NORMAL_TEST_SESSIONS = 553_366;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "HDFS, DeepLog split: train hdfs/deeplog/hdfs_train (4,855 normal block sessions); test "
                + "hdfs_test_abnormal (16,838 anomalous) + label-0 rows of hdfs/logrobust/robust_log_{train,valid}.csv "
                + "(7,000 normal); unit = session, duplicates kept; F1 also projected to 553,366 normal sessions";
    }

    @Override
    public Split load(DataDir data, long seed) {
        List<Sequence> train = ProtocolData.read(data, "hdfs/deeplog/hdfs_train", Label.NORMAL);
        List<Sequence> abnormal = ProtocolData.read(data, "hdfs/deeplog/hdfs_test_abnormal", Label.ANOMALOUS);
        List<Sequence> normalA = ProtocolData.only(
                ProtocolData.read(data, "hdfs/logrobust/robust_log_train.csv", Label.UNKNOWN), Label.NORMAL);
        List<Sequence> normalB = ProtocolData.only(
                ProtocolData.read(data, "hdfs/logrobust/robust_log_valid.csv", Label.UNKNOWN), Label.NORMAL);
        List<Sequence> test = ProtocolData.concat(abnormal, normalA, normalB);
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("train", "hdfs/deeplog/hdfs_train: " + train.size() + " normal sessions");
        notes.put("testAnomalous", "hdfs/deeplog/hdfs_test_abnormal: " + abnormal.size() + " sessions");
        notes.put("testNormal", "label-0 rows of hdfs/logrobust/robust_log_train.csv (" + normalA.size()
                + ") and robust_log_valid.csv (" + normalB.size() + ")");
        notes.put("caveat", "the logrobust normal rows carry no block ids, so overlap with the training sessions "
                + "cannot be checked; the 553,366 original normal test sessions are not public");
        return new Split(NAME, train, List.of(), test, KeyVocabulary.of(ProtocolData.concat(train, test)),
                DEEPLOG_NORMAL_TEST_SESSIONS, notes);
    }
}
