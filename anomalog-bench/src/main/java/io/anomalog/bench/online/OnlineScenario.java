package io.anomalog.bench.online;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.data.KeySequenceReader;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.eval.protocol.Protocols;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.stream.simulate.HdfsSimulator;
import io.anomalog.core.util.AnomalogException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A stream for the online-update benchmark: the data a model is trained on, the labelled sessions that come after
 * it in order, where a workflow change begins (or -1), and the step and delay of the operator's feedback.
 */
public record OnlineScenario(String name, String description, Split training, List<Sequence> stream, int changeAt,
                             int step) {

    public static final List<String> NAMES = List.of("drift", "bgl");

    public static OnlineScenario byName(String name, DataDir data, Path repo, long seed) {
        return switch (name) {
            case "drift" -> drift(repo.resolve("data/hdfs"), seed);
            case "bgl" -> bgl(data, seed);
            default -> throw new AnomalogException("unknown online scenario '" + name + "'; known: " + NAMES);
        };
    }

    /**
     * HDFS key sessions (bundled): train on the first 1,500 normal sessions of {@code hdfs_train}; then a stream of
     * the other normal sessions (the rest of {@code hdfs_train} and {@code hdfs_test_normal_sample}) with the first
     * 200 anomalous ones of {@code hdfs_test_abnormal_sample} mixed in at random places. Halfway through, every
     * normal session changes as after the demo's upgrade ({@link HdfsSimulator#upgradedWorkflow}).
     */
    static OnlineScenario drift(Path dir, long seed) {
        List<Sequence> train = read(dir.resolve("hdfs_train"), Label.NORMAL);
        List<Sequence> normal = new ArrayList<>(train.subList(1500, train.size()));
        normal.addAll(read(dir.resolve("hdfs_test_normal_sample"), Label.NORMAL));
        List<Sequence> abnormal = read(dir.resolve("hdfs_test_abnormal_sample"), Label.ANOMALOUS).subList(0, 200);
        List<Sequence> stream = merge(normal, abnormal, seed);
        int half = stream.size() / 2;
        for (int i = half; i < stream.size(); i++) {
            Sequence s = stream.get(i);
            if (s.label() == Label.NORMAL) {
                stream.set(i, new Sequence(s.id(), HdfsSimulator.upgradedWorkflow(s.keys()), Label.NORMAL));
            }
        }
        List<Sequence> t = train.subList(0, 1500);
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("train", "first 1,500 sessions of data/hdfs/hdfs_train");
        Split split = new Split("drift", t, List.of(), stream, KeyVocabulary.of(t), 0, notes);
        return new OnlineScenario("drift", "HDFS sessions (bundled data/hdfs): trained on 1,500 normal sessions; a stream "
                + "of " + normal.size() + " normal and " + abnormal.size() + " anomalous sessions in random order; from "
                + "the middle on, normal sessions write a new key after their first key 5 (an upgrade)", split, stream,
                half, 100);
    }

    /**
     * BGL logdeep windows: train on {@code bgl_train} (validation {@code bgl_val}); the stream is the test windows,
     * normal and anomalous, each file in its order, mixed at random places (the files do not say how they
     * interleaved). No change is injected: whatever BGL's own drift is.
     */
    static OnlineScenario bgl(DataDir data, long seed) {
        Split s = Protocols.byName("bgl-windows").load(data, seed);
        List<Sequence> normal = s.test().stream().filter(q -> q.label() == Label.NORMAL).toList();
        List<Sequence> abnormal = s.test().stream().filter(q -> q.label() == Label.ANOMALOUS).toList();
        List<Sequence> stream = merge(normal, abnormal, seed);
        return new OnlineScenario("bgl", "BGL logdeep windows (bgl-windows protocol): trained on bgl_train, validated "
                + "on bgl_val; a stream of the " + normal.size() + " normal and " + abnormal.size()
                + " anomalous test windows, each file in its order, mixed at random places", s, stream, -1, 20000);
    }

    /** Both lists in their own order, merged at seeded random places (each next item drawn by what remains). */
    static List<Sequence> merge(List<Sequence> a, List<Sequence> b, long seed) {
        Random r = new Random(seed);
        List<Sequence> out = new ArrayList<>(a.size() + b.size());
        int i = 0, j = 0;
        while (i < a.size() || j < b.size()) {
            int left = (a.size() - i) + (b.size() - j);
            if (j >= b.size() || (i < a.size() && r.nextInt(left) < a.size() - i)) {
                out.add(a.get(i++));
            } else {
                out.add(b.get(j++));
            }
        }
        return out;
    }

    private static List<Sequence> read(Path file, Label label) {
        if (!Files.exists(file)) {
            throw new AnomalogException("missing " + file + " (the bundled HDFS sessions)");
        }
        return KeySequenceReader.read(file, label).sequences();
    }
}
