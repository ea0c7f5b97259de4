package io.anomalog.bench.parse;

import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GroupingMetricsTest {

    private static TruthLine truth(long line, String id, String template, String content) {
        return new TruthLine(line, content, id, template);
    }

    private static GroupingMetrics.Prediction said(String group, String template, String... params) {
        return new GroupingMetrics.Prediction(group, template, List.of(params));
    }

    @Test
    void groupingAndTemplateMeasuresFollowTheirDefinitions() {
        // truth A A B C; predicted 1 1 2 2: group 1 = {A, A} right (2 lines), group 2 mixes B and C
        List<TruthLine> t = List.of(
                truth(1, "A", "open <*>", "open f1"),
                truth(2, "A", "open <*>", "open f2"),
                truth(3, "B", "close", "close"),
                truth(4, "C", "flush", "flush"));
        var m = GroupingMetrics.compute(t, List.of(
                said("1", "open  <*>", "f1"), said("1", "open <*>", "f9"), said("2", "close"), said("2", "x")));
        assertEquals(0.5, m.ga(), 1e-9);
        assertEquals(0.75, m.pa(), 1e-9);
        double f1 = 2 * 0.5 * (1 / 3.0) / (0.5 + 1 / 3.0);     // precision 1/2, recall 1/3
        assertEquals(f1, m.fga(), 1e-9);
        assertEquals(f1, m.fta(), 1e-9, "group 1 is right and its text is right");
        assertEquals(0.75, m.parameters(), 1e-9, "line 2 has a wrong value; lines 3 and 4 rightly have none");
        assertEquals(2, m.predictedGroups());
        assertEquals(3, m.trueGroups());
    }

    @Test
    void aRightGroupWithAWrongTextCountsForGroupingButNotForTemplates() {
        List<TruthLine> t = List.of(truth(1, "A", "open <*>", "open f1"), truth(2, "A", "open <*>", "open f2"));
        var m = GroupingMetrics.compute(t, List.of(said("9", "open f<*>", "1"), said("9", "open f<*>", "2")));
        assertEquals(1.0, m.ga(), 1e-9);
        assertEquals(1.0, m.fga(), 1e-9);
        assertEquals(0.0, m.pa(), 1e-9);
        assertEquals(0.0, m.fta(), 1e-9);
        assertEquals(0.0, m.parameters(), 1e-9);
    }

    @Test
    void aSplitGroupIsWrongAndALineWithoutAResultIsWrongEverywhere() {
        List<TruthLine> t = List.of(truth(1, "A", "t", "t"), truth(2, "A", "t", "t"));
        var split = GroupingMetrics.compute(t, List.of(said("1", "t"), said("2", "t")));
        assertEquals(0.0, split.ga(), 1e-9);
        assertEquals(1.0, split.pa(), 1e-9);
        var lost = GroupingMetrics.compute(t, new ArrayList<>(java.util.Arrays.asList(said("1", "t"), null)));
        assertEquals(0.0, lost.ga(), 1e-9);
        assertEquals(0.5, lost.pa(), 1e-9);
        assertEquals(0.5, lost.parameters(), 1e-9);
        assertEquals(1, lost.missing());
    }

    @Test
    void expectedParametersComeFromMatchingTheTrueTemplateAgainstTheContent() {
        assertEquals(List.of("blk_1", "/10.0.0.1:5"), ExpectedParameters.of("Receiving <*> src: <*>",
                "Receiving blk_1  src: /10.0.0.1:5"));
        assertEquals(List.of("5.2 KB", "1 B"), ExpectedParameters.of("size <*>, free <*>)", "size 5.2 KB, free 1 B)"));
        assertEquals(List.of(), ExpectedParameters.of("all done", "all  done"));
        assertNull(ExpectedParameters.of("open <*> now", "close x now"));
        var m = GroupingMetrics.compute(List.of(truth(1, "A", "open <*> now", "close x now")),
                List.of(said("1", "open <*> now", "x")));
        assertEquals(1, m.truthUnmatched());
        assertEquals(0.0, m.parameters(), 1e-9);
    }

    @Test
    void parameterListsAreReadAsTheParseCommandWritesThem() {
        assertEquals(List.of("a", "b'c", "d\\e", ""), CommandOutput.pythonList("['a', 'b\\'c', 'd\\\\e', '']"));
        assertEquals(List.of(), CommandOutput.pythonList("[]"));
        assertThrows(AnomalogException.class, () -> CommandOutput.pythonList("a, b"));
        assertThrows(AnomalogException.class, () -> CommandOutput.pythonList("['open"));
    }
}
