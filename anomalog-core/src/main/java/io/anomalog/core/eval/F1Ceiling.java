package io.anomalog.core.eval;

import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The highest F1 that any detector judging a sequence by its keys alone can reach on a labelled set. Such a
 * detector gives identical key sequences the same verdict, so when the same sequence carries both labels (BGL
 * windows do), some of its occurrences are wrong whatever the method. This bounds what a method can score
 * on the set; a target above it cannot be met.
 *
 * <p>Exact: sequences are grouped by their keys; a pure group is judged right; for the mixed groups, F1 is
 * highest when the flagged ones are exactly those whose anomalous share is above some level (maximising
 * TP / (TP + FP + positives) flags a group when n1 - λ (n0 + n1) > 0), so trying every such level finds it.
 */
public final class F1Ceiling {

    private F1Ceiling() {
    }

    /** The confusion matrix of the best key-determined verdicts (sequences with an unknown label are ignored). */
    public static ConfusionMatrix best(List<Sequence> sequences) {
        Map<String, long[]> groups = new HashMap<>();
        for (Sequence s : sequences) {
            if (s.label() == Label.UNKNOWN) {
                continue;
            }
            long[] c = groups.computeIfAbsent(Arrays.toString(s.keys()), k -> new long[2]);
            c[s.label() == Label.ANOMALOUS ? 1 : 0]++;
        }
        long tp = 0;
        long tn = 0;
        List<long[]> mixed = new ArrayList<>();
        for (long[] c : groups.values()) {
            if (c[0] > 0 && c[1] > 0) {
                mixed.add(c);
            } else {
                tp += c[1];
                tn += c[0];
            }
        }
        // most anomalous share first; flag the first i mixed groups, i = 0..k
        mixed.sort((a, b) -> Double.compare((double) b[1] / (b[0] + b[1]), (double) a[1] / (a[0] + a[1])));
        long mixedPositives = mixed.stream().mapToLong(c -> c[1]).sum();
        long mixedNegatives = mixed.stream().mapToLong(c -> c[0]).sum();
        ConfusionMatrix best = new ConfusionMatrix(tp, 0, tn + mixedNegatives, mixedPositives);
        long flaggedTp = 0;
        long flaggedFp = 0;
        for (long[] c : mixed) {
            flaggedTp += c[1];
            flaggedFp += c[0];
            ConfusionMatrix m = new ConfusionMatrix(tp + flaggedTp, flaggedFp, tn + mixedNegatives - flaggedFp,
                    mixedPositives - flaggedTp);
            if (m.f1() > best.f1()) {
                best = m;
            }
        }
        return best;
    }
}
