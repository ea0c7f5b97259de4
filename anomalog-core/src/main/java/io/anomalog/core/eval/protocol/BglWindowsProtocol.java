package io.anomalog.core.eval.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bgl-windows}: BGL as DeepLog-style key windows (logdeep preprocessing). Train on {@code bgl_train}
 * (variable-length normal sequences), validate on {@code bgl_val}; test on the first tenth of the test files,
 * {@code bgl_test_normal_part1of10} and {@code bgl_test_abnormal_part1of10}, whose lines are exactly 21 keys: a
 * 20-key history and the key after it. Unit: one window, label = file, repeated windows counted each time. A
 * sequence model judges a test window by the prediction of its 21st key from the 20 before it (history 20: one
 * prediction per window); the notes carry that history as the suggested deeplog setting.
 */
public final class BglWindowsProtocol implements Protocol {

    public static final String NAME = "bgl-windows";
    private static final String DIR = "bgl/logdeep_windows/";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "BGL logdeep windows: train bgl_train (2,493 normal sequences), validate bgl_val (278); test the first "
                + "tenth of the 21-key test windows (223,811 normal + 11,861 anomalous); unit = window, label = file, "
                + "repeats counted; deeplog judges the 21st key from the 20 before it (history=20)";
    }

    @Override
    public Split load(DataDir data, long seed) {
        List<Sequence> train = ProtocolData.read(data, DIR + "bgl_train.gz", Label.NORMAL);
        List<Sequence> validation = ProtocolData.read(data, DIR + "bgl_val.gz", Label.NORMAL);
        List<Sequence> normal = ProtocolData.read(data, DIR + "bgl_test_normal_part1of10.gz", Label.NORMAL);
        List<Sequence> abnormal = ProtocolData.read(data, DIR + "bgl_test_abnormal_part1of10.gz", Label.ANOMALOUS);
        List<Sequence> test = ProtocolData.concat(normal, abnormal);
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("train", train.size() + " normal sequences (bgl_train), validation " + validation.size() + " (bgl_val)");
        notes.put("test", normal.size() + " normal + " + abnormal.size() + " anomalous 21-key windows (part 1 of 10)");
        notes.put("window", "20-key history + next key; judged by the prediction of the last key");
        notes.put("deeplog.history", 20);
        notes.put("caveat", "how logdeep grouped lines and labelled windows is undocumented upstream");
        return new Split(NAME, train, validation, test,
                KeyVocabulary.of(ProtocolData.concat(train, validation, test)), 0, notes);
    }
}
