package io.anomalog.bench.parse;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parser-accuracy measures of the Loghub-2.0 evaluation, computed from each line's true event and predicted
 * template:
 * <ul>
 *   <li>GA (grouping accuracy): a line is correct when the set of lines in its predicted group equals the set of
 *       lines of its true event exactly;</li>
 *   <li>FGA: F1 over groups, with precision = correctly identified groups / predicted groups and recall =
 *       correctly identified groups / true groups;</li>
 *   <li>PA (parsing accuracy): a line is correct when its template text equals the true template text (white
 *       space runs collapsed);</li>
 *   <li>FTA: F1 over templates, where a predicted template is correct when its group is exactly a true event's
 *       lines and its text equals that event's template;</li>
 *   <li>parameter accuracy: a line is correct when its parameter list equals the values the true template
 *       leaves for its wildcards in the line's content ({@link ExpectedParameters}); white space runs inside
 *       values are collapsed on both sides.</li>
 * </ul>
 * A line the parser gave no result for (not in its output) counts as wrong in every measure, as its own group.
 *
 * @param lines             lines compared
 * @param ga                grouping accuracy
 * @param fga               group F1
 * @param pa                parsing accuracy
 * @param fta               template F1
 * @param parameters        parameter accuracy
 * @param predictedGroups   number of predicted groups
 * @param trueGroups        number of true groups
 * @param missing           true lines with no parser result
 * @param truthUnmatched    lines whose true template does not match their own content (no expected parameters;
 *                          counted as wrong in parameter accuracy)
 */
public record GroupingMetrics(int lines, double ga, double fga, double pa, double fta, double parameters,
                              int predictedGroups, int trueGroups, int missing, int truthUnmatched) {

    /** What the parser said about one line: group id, template text and parameter values. */
    public record Prediction(String group, String template, List<String> parameters) {
    }

    /**
     * @param truth     the true lines, in order
     * @param predicted one prediction per true line (same order), null where the parser gave none
     */
    public static GroupingMetrics compute(List<TruthLine> truth, List<Prediction> predicted) {
        int n = truth.size();
        if (predicted.size() != n) {
            throw new IllegalArgumentException("predicted " + predicted.size() + " lines, truth has " + n);
        }
        String[] groups = new String[n];
        int missing = 0;
        for (int i = 0; i < n; i++) {
            Prediction p = predicted.get(i);
            if (p == null) {
                missing++;
                groups[i] = "\u0000missing " + i;       // its own group: never equal to a true event
            } else {
                groups[i] = p.group();
            }
        }
        Map<String, Integer> truthSize = new HashMap<>();
        Map<String, String> truthTemplate = new HashMap<>();
        for (TruthLine t : truth) {
            truthSize.merge(t.eventId(), 1, Integer::sum);
            truthTemplate.putIfAbsent(t.eventId(), normalise(t.template()));
        }
        // per predicted group: size, its single true event if all its lines share one, and its template text
        Map<String, Integer> predSize = new HashMap<>();
        Map<String, String> predTruth = new HashMap<>();
        Map<String, String> predTemplate = new HashMap<>();
        Set<String> mixed = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String g = groups[i];
            predSize.merge(g, 1, Integer::sum);
            String t = truth.get(i).eventId();
            String seen = predTruth.putIfAbsent(g, t);
            if (seen != null && !seen.equals(t)) {
                mixed.add(g);
            }
            Prediction p = predicted.get(i);
            predTemplate.putIfAbsent(g, p == null ? "\u0000" : normalise(p.template()));
        }
        int correctLines = 0;
        int correctGroups = 0;
        int correctTemplates = 0;
        for (var e : predSize.entrySet()) {
            String g = e.getKey();
            String t = predTruth.get(g);
            if (!mixed.contains(g) && truthSize.get(t).equals(e.getValue())) {
                correctLines += e.getValue();
                correctGroups++;
                if (predTemplate.get(g).equals(truthTemplate.get(t))) {
                    correctTemplates++;
                }
            }
        }
        int parsed = 0;
        int paramsRight = 0;
        int unmatched = 0;
        for (int i = 0; i < n; i++) {
            Prediction p = predicted.get(i);
            TruthLine t = truth.get(i);
            if (p != null && normalise(t.template()).equals(normalise(p.template()))) {
                parsed++;
            }
            List<String> expected = ExpectedParameters.of(t.template(), t.content());
            if (expected == null) {
                unmatched++;
            } else if (p != null && sameValues(expected, p.parameters())) {
                paramsRight++;
            }
        }
        return new GroupingMetrics(n, ratio(correctLines, n), f1(correctGroups, predSize.size(), truthSize.size()),
                ratio(parsed, n), f1(correctTemplates, predSize.size(), truthSize.size()), ratio(paramsRight, n),
                predSize.size(), truthSize.size(), missing, unmatched);
    }

    private static boolean sameValues(List<String> expected, List<String> got) {
        if (got == null || expected.size() != got.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            if (!normalise(expected.get(i)).equals(normalise(got.get(i)))) {
                return false;
            }
        }
        return true;
    }

    private static double ratio(int a, int n) {
        return n == 0 ? 0 : (double) a / n;
    }

    private static double f1(int correct, int predicted, int truth) {
        double precision = predicted == 0 ? 0 : (double) correct / predicted;
        double recall = truth == 0 ? 0 : (double) correct / truth;
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    static String normalise(String s) {
        return String.join(" ", s.strip().split("\\s+"));
    }
}
