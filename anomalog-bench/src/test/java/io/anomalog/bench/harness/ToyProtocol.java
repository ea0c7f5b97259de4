package io.anomalog.bench.harness;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.eval.protocol.Protocol;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A constructed protocol: normal sessions open and close as often (1 ... 2) with reads (3) between; anomalous
 * ones lose a close and carry an error key (9). Small enough for the classic methods to train in milliseconds.
 */
public final class ToyProtocol implements Protocol {

    private final boolean anomaliesInTraining;
    private final long projectedNormals;

    public ToyProtocol(boolean anomaliesInTraining, long projectedNormals) {
        this.anomaliesInTraining = anomaliesInTraining;
        this.projectedNormals = projectedNormals;
    }

    @Override
    public String name() {
        return "toy";
    }

    @Override
    public String description() {
        return "constructed sessions";
    }

    static List<Sequence> sessions(String prefix, int n, double anomalyShare, Random r) {
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = 1 + r.nextInt(3);
            List<Integer> keys = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                keys.add(1);
            }
            for (int j = 0; j < 1 + r.nextInt(4); j++) {
                keys.add(3);
            }
            boolean anomalous = r.nextDouble() < anomalyShare;
            for (int j = 0; j < (anomalous ? k - 1 : k); j++) {
                keys.add(2);
            }
            if (anomalous) {
                keys.add(9);
            }
            out.add(new Sequence(prefix + i, keys.stream().mapToInt(Integer::intValue).toArray(),
                    Label.of(anomalous)));
        }
        return out;
    }

    @Override
    public Split load(DataDir data, long seed) {
        Random r = new Random(seed);
        List<Sequence> train = sessions("train", 200, anomaliesInTraining ? 0.5 : 0, r);
        List<Sequence> test = sessions("test", 300, 0.1, r);
        List<Sequence> all = new ArrayList<>(train);
        all.addAll(test);
        return new Split("toy", train, List.of(), test, KeyVocabulary.of(all), projectedNormals,
                Map.of("train", train.size(), "test", test.size()));
    }
}
