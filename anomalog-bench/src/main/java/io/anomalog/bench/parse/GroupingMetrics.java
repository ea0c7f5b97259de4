package io.anomalog.bench.parse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parser-accuracy measures of the loghub benchmark, computed from per-line predicted and true groups:
 * <ul>
 *   <li>GA (grouping accuracy): a line counts as correct when the set of lines in its predicted group equals
 *       the set of lines of its true event exactly;</li>
 *   <li>FGA: F1 over groups, with precision = correctly identified groups / predicted groups and recall =
 *       correctly identified groups / true groups;</li>
 *   <li>PA (parsing accuracy): a line counts as correct when its template text equals the true template text
 *       (after collapsing runs of whitespace).</li>
 * </ul>
 *
 * @param lines           lines compared
 * @param ga              grouping accuracy
 * @param pa              parsing accuracy
 * @param fga             group F1
 * @param predictedGroups number of predicted groups
 * @param trueGroups      number of true groups
 */
public record GroupingMetrics(int lines, double ga, double pa, double fga, int predictedGroups, int trueGroups) {

    public static GroupingMetrics compute(List<String> truthIds, List<String> truthTemplates, List<String> predictedIds,
                                          List<String> predictedTemplates) {
        int n = truthIds.size();
        if (predictedIds.size() != n) {
            throw new IllegalArgumentException("predicted " + predictedIds.size() + " lines, truth has " + n);
        }
        Map<String, Integer> truthSize = new HashMap<>();
        for (String t : truthIds) {
            truthSize.merge(t, 1, Integer::sum);
        }
        // per predicted group: size, and the single true id if all its lines share one (else null)
        Map<String, Integer> predSize = new HashMap<>();
        Map<String, String> predTruth = new HashMap<>();
        Map<String, Boolean> pure = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String p = predictedIds.get(i);
            predSize.merge(p, 1, Integer::sum);
            String t = truthIds.get(i);
            String seen = predTruth.putIfAbsent(p, t);
            if (seen != null && !seen.equals(t)) {
                pure.put(p, false);
            }
        }
        int correctLines = 0;
        int correctGroups = 0;
        for (var e : predSize.entrySet()) {
            String p = e.getKey();
            if (pure.getOrDefault(p, true) && truthSize.get(predTruth.get(p)).equals(e.getValue())) {
                correctLines += e.getValue();
                correctGroups++;
            }
        }
        int parsed = 0;
        for (int i = 0; i < n; i++) {
            if (normalise(truthTemplates.get(i)).equals(normalise(predictedTemplates.get(i)))) {
                parsed++;
            }
        }
        double precision = predSize.isEmpty() ? 0 : (double) correctGroups / predSize.size();
        double recall = truthSize.isEmpty() ? 0 : (double) correctGroups / truthSize.size();
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new GroupingMetrics(n, n == 0 ? 0 : (double) correctLines / n, n == 0 ? 0 : (double) parsed / n, f1,
                predSize.size(), truthSize.size());
    }

    static String normalise(String template) {
        return String.join(" ", template.strip().split("\\s+"));
    }
}
