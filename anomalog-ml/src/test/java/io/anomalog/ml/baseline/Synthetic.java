package io.anomalog.ml.baseline;

import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small constructed sessions where the right answer is known. */
final class Synthetic {

    private Synthetic() {
    }

    /** k opens (1), k closes (2), m reads (3), m writes (4): count(1) = count(2) and count(3) = count(4). */
    static Sequence balanced(String id, int k, int m, Label label) {
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            keys.add(1);
        }
        for (int i = 0; i < m; i++) {
            keys.add(3);
            keys.add(4);
        }
        for (int i = 0; i < k; i++) {
            keys.add(2);
        }
        return new Sequence(id, keys.stream().mapToInt(Integer::intValue).toArray(), label);
    }

    static List<Sequence> normals(int n, long seed) {
        Random r = new Random(seed);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(balanced("n" + seed + "-" + i, 1 + r.nextInt(5), 1 + r.nextInt(5), Label.NORMAL));
        }
        return out;
    }

    /** Opens without matching closes: off the normal subspace, violates count(1) = count(2). */
    static Sequence unbalanced(String id) {
        return new Sequence(id, new int[]{1, 1, 1, 3, 4, 3, 4, 2}, Label.ANOMALOUS);
    }

    /** A labelled mix for the supervised methods: anomalies carry the error key 9 and lose their closes. */
    static List<Sequence> labelled(int n, long seed) {
        Random r = new Random(seed);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = 1 + r.nextInt(4);
            int m = 1 + r.nextInt(4);
            if (i % 2 == 0) {
                out.add(balanced("l" + seed + "-" + i, k, m, Label.NORMAL));
            } else {
                int[] keys = balanced("x", k, m, Label.ANOMALOUS).keys();
                keys[keys.length - 1] = 9;
                out.add(new Sequence("l" + seed + "-" + i, keys, Label.ANOMALOUS));
            }
        }
        return out;
    }
}
