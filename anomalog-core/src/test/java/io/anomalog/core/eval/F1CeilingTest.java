package io.anomalog.core.eval;

import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class F1CeilingTest {

    private static void add(List<Sequence> out, int[] keys, Label label, int times) {
        for (int i = 0; i < times; i++) {
            out.add(new Sequence("s" + out.size(), keys, label));
        }
    }

    @Test
    void pureGroupsAreJudgedRight() {
        List<Sequence> s = new ArrayList<>();
        add(s, new int[]{1, 2}, Label.NORMAL, 5);
        add(s, new int[]{1, 3}, Label.ANOMALOUS, 2);
        add(s, new int[]{9}, Label.UNKNOWN, 4);
        assertEquals(new ConfusionMatrix(2, 0, 5, 0), F1Ceiling.best(s));
    }

    @Test
    void aMixedGroupIsFlaggedOnlyWhenThatRaisesF1() {
        // 10 pure anomalous; a mixed window with 3 anomalous and 5 normal occurrences.
        // not flagged: TP 10, FN 3 -> F1 20/23 = 0.870; flagged: TP 13, FP 5 -> F1 26/31 = 0.839
        List<Sequence> s = new ArrayList<>();
        add(s, new int[]{1}, Label.ANOMALOUS, 10);
        add(s, new int[]{2}, Label.ANOMALOUS, 3);
        add(s, new int[]{2}, Label.NORMAL, 5);
        add(s, new int[]{3}, Label.NORMAL, 100);
        ConfusionMatrix best = F1Ceiling.best(s);
        assertEquals(new ConfusionMatrix(10, 0, 105, 3), best);
        assertEquals(20.0 / 23, best.f1(), 1e-12);

        // with 6 anomalous occurrences against 5 normal, flagging wins: TP 16, FP 5 -> 32/37 > 20/26
        add(s, new int[]{2}, Label.ANOMALOUS, 3);
        assertEquals(new ConfusionMatrix(16, 5, 100, 0), F1Ceiling.best(s));
    }

    @Test
    void theBestSubsetOfMixedGroupsIsFound() {
        // two mixed groups: (a=8, n=2) is worth flagging, (a=1, n=9) is not
        List<Sequence> s = new ArrayList<>();
        add(s, new int[]{1}, Label.ANOMALOUS, 8);
        add(s, new int[]{1}, Label.NORMAL, 2);
        add(s, new int[]{2}, Label.ANOMALOUS, 1);
        add(s, new int[]{2}, Label.NORMAL, 9);
        // options: none F1 0; {1}: TP 8 FP 2 FN 1 -> 16/19; {1,2}: TP 9 FP 11 -> 18/29
        assertEquals(new ConfusionMatrix(8, 2, 9, 1), F1Ceiling.best(s));
    }
}
