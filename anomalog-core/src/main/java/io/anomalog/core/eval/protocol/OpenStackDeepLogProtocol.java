package io.anomalog.core.eval.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code openstack-deeplog}: DeepLog's OpenStack data as VM-instance sequences (ait preprocessing of loghub's
 * openstack_normal1/2 and openstack_abnormal logs). Train on {@code openstack_train} (19 normal instances); test on
 * {@code openstack_test_normal} (1,852) and {@code openstack_test_abnormal} (198). Labels are ait's: every
 * instance in the abnormal log is anomalous. Caveat: DeepLog's authors list only 4 instances with injected
 * anomalies ({@code openstack/anomaly_labels.txt}); under that strict reading most "anomalous" instances are
 * normal and precision figures here are pessimistic or optimistic depending on the method.
 */
public final class OpenStackDeepLogProtocol implements Protocol {

    public static final String NAME = "openstack-deeplog";
    private static final String DIR = "openstack/deeplog_loghub_sequences/";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "OpenStack (DeepLog/loghub, ait sequences by VM instance): train openstack_train (19 normal); test "
                + "openstack_test_normal (1,852) + openstack_test_abnormal (198); ait labels (every instance of the "
                + "abnormal log is anomalous; DeepLog lists only 4 injected ones)";
    }

    @Override
    public Split load(DataDir data, long seed) {
        List<Sequence> train = ProtocolData.read(data, DIR + "openstack_train", Label.NORMAL);
        List<Sequence> normal = ProtocolData.read(data, DIR + "openstack_test_normal", Label.NORMAL);
        List<Sequence> abnormal = ProtocolData.read(data, DIR + "openstack_test_abnormal", Label.ANOMALOUS);
        List<Sequence> test = ProtocolData.concat(normal, abnormal);
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("train", train.size() + " normal instances");
        notes.put("test", normal.size() + " normal + " + abnormal.size() + " anomalous instances");
        notes.put("labels", "ait: every instance in openstack_abnormal.log is anomalous");
        notes.put("caveat", "DeepLog's anomaly_labels.txt names only 4 instances with injected anomalies");
        return new Split(NAME, train, List.of(), test, KeyVocabulary.of(ProtocolData.concat(train, test)), 0, notes);
    }
}
