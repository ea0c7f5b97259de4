package io.anomalog.bench.attgru;

import io.anomalog.bench.harness.Harness;
import io.anomalog.bench.harness.HarnessResult;
import io.anomalog.bench.harness.MethodResult;
import io.anomalog.bench.harness.ScoredTest;
import io.anomalog.bench.harness.TestResults;
import io.anomalog.bench.harness.ToyProtocol;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttGruReportTest {

    // four sessions: two anomalous (0.995, 0.6) and two normal (0.95, 0.1)
    private final ScoredTest scored = new ScoredTest(new double[]{0.995, 0.6, 0.95, 0.1},
            new boolean[]{true, true, false, false}, new boolean[]{true, true, true, false});

    @Test
    void theThresholdTableHasOneRowPerWindowClassifierFromItsStoredScores() {
        MethodResult attgru = TestResults.of("attgru", scored);
        MethodResult pca = TestResults.of("pca", scored);
        String table = AttGruReport.thresholds(List.of(attgru, pca));
        // one normal session (0.95) outranks one anomalous one (0.6): 3 of 4 pairs in order
        assertTrue(table.contains("| attgru | 0.7500 | 0.6667 (2 / 0) | 0.8000 (1 / 0) | 0.8000 (1 / 0) | 0.5000 (1 / 1) "
                + "| 0.6667 (0 / 1) | 0.6667 (0 / 1) | 0.0000 (0 / 2) |"), table);
        assertFalse(table.contains("| pca |"), table);
        assertEquals("", AttGruReport.thresholds(List.of(pca)));
    }

    @Test
    void aSectionShowsEveryMethodAskedForWithThroughputAndCharts() throws Exception {
        HarnessResult r = Harness.on(new ToyProtocol(true, 0)).seed(2).methods(List.of("lstm-classifier", "pca"))
                .params(Map.of("lstm-classifier", Map.of("epochs", "2", "hidden", "8")))
                .probes(AttGruReport.probes("toy")).run();
        String s = AttGruReport.section(r, List.of("lstm-classifier", "no-such-method", "pca"), "attgru/toy");
        assertTrue(s.startsWith("## toy\n\nconstructed sessions.\n\n"), s);
        assertTrue(s.contains("| no-such-method | method not available in this build |"), s);
        MethodResult lstm = r.results().get(0);
        WarmThroughput.Throughput w = lstm.probe(AttGruReport.THROUGHPUT).orElseThrow();
        assertTrue(w.windows() >= w.distinctWindows() && w.distinctWindows() > 0, w.toString());
        assertEquals(r.split().test().size(), r.results().get(1).probe(AttGruReport.THROUGHPUT).orElseThrow().windows());
        assertTrue(s.contains(String.format(Locale.ROOT, "(%,d of %,d) |", w.distinctWindows(), w.windows())), s);
        assertTrue(s.contains("| lstm-classifier | ") && s.contains("| t = 0.98 |"), s);
        assertTrue(s.contains("(attgru/toy/roc-log-fpr.png)"), s);
        // validation figures only on the protocol the report asks them for
        assertTrue(lstm.probe(AttGruReport.VALIDATION).isEmpty());
        assertFalse(s.contains("valid F1"), s);
    }

    @Test
    void falsePositivesEveryClassifierSharesAreCountedWithWhatTrainingSaysOfTheirWindows() {
        // training: one normal and one anomalous session of 12 keys each (windows of 10 events)
        List<Sequence> train = List.of(
                new Sequence("n", new int[]{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, Label.NORMAL),
                new Sequence("a", new int[]{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, Label.ANOMALOUS));
        List<Sequence> test = List.of(
                new Sequence("t0", new int[]{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, Label.NORMAL),    // anomalous-only window
                new Sequence("t1", new int[]{3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, Label.NORMAL),    // a window never seen
                new Sequence("t2", new int[]{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, Label.NORMAL),    // flagged by one only
                new Sequence("t3", new int[]{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, Label.ANOMALOUS));
        boolean[] anomalous = {false, false, false, true};
        MethodResult a = TestResults.of("attgru", new ScoredTest(new double[]{0.9, 0.8, 0.7, 0.99}, anomalous,
                new boolean[]{true, true, true, true}));
        MethodResult g = TestResults.of("gru", new ScoredTest(new double[]{0.9, 0.8, 0.1, 0.99}, anomalous,
                new boolean[]{true, true, false, true}));
        KeyVocabulary vocabulary = KeyVocabulary.of(List.of(train.get(0), train.get(1), test.get(1)));
        String s = AttGruReport.sharedFalsePositives(train, test, vocabulary, List.of(a, g));
        assertTrue(s.contains("(attgru, gru, each at its own threshold): 2 of the 3 normal test sessions (2 distinct "
                + "key sequences). 1 of them hold a window of 10 events that the training sessions hold only in "
                + "anomalous sessions, 1 more a window training never saw. With all 1 anomalies found, these alone "
                + "cap F1 at 0.5000."), s);
        // the windows examined are as long as those the classifiers were trained with
        MethodResult a5 = new MethodResult(a.method(), a.description(), a.supervised(), a.trainSequences(),
                a.fitSeconds(), a.predictSeconds(), a.test(), a.confusion(), a.roc(), a.projection(),
                Map.of("window", 5), a.training(), a.metrics(), a.probes());
        String five = AttGruReport.sharedFalsePositives(train, test, vocabulary, List.of(a5, g));
        assertTrue(five.contains("1 of them hold a window of 5 events"), five);
        // one classifier alone: nothing to share
        assertEquals("", AttGruReport.sharedFalsePositives(train, test, vocabulary, List.of(a)));
    }
}
