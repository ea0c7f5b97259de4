package io.anomalog.bench.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Mean and standard deviation of each method's figures over runs of one protocol with different seeds (each
 * seed draws another split). Small test sets move F1 by whole anomalies; the spread says which differences
 * between methods are larger than the split's luck.
 */
public final class SeedSummary {

    /** One figure over the seeds: mean and sample standard deviation (0 for a single run). */
    public record Spread(double mean, double sd) {

        static Spread of(List<Double> values) {
            List<Double> v = values.stream().filter(d -> !Double.isNaN(d)).toList();
            if (v.isEmpty()) {
                return new Spread(Double.NaN, Double.NaN);
            }
            double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss = v.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum();
            return new Spread(mean, v.size() < 2 ? 0 : Math.sqrt(ss / (v.size() - 1)));
        }

        @Override
        public String toString() {
            return Double.isNaN(mean) ? "-" : String.format(Locale.ROOT, "%.4f ± %.4f", mean, sd);
        }
    }

    /** A method's spreads. */
    public record Row(String method, int runs, Spread precision, Spread recall, Spread f1, Spread auc) {
    }

    private SeedSummary() {
    }

    /** One row per method, in the order of the first run. */
    public static List<Row> of(List<BenchmarkResult> runs) {
        Map<String, List<MethodResult>> byMethod = new LinkedHashMap<>();
        for (BenchmarkResult r : runs) {
            for (MethodResult m : r.results()) {
                byMethod.computeIfAbsent(m.method(), k -> new ArrayList<>()).add(m);
            }
        }
        List<Row> rows = new ArrayList<>();
        byMethod.forEach((method, results) -> rows.add(new Row(method, results.size(),
                spread(results, m -> m.confusion().precision()), spread(results, m -> m.confusion().recall()),
                spread(results, m -> m.confusion().f1()), spread(results, MethodResult::auc))));
        return rows;
    }

    private static Spread spread(List<MethodResult> results, ToDoubleFunction<MethodResult> figure) {
        return Spread.of(results.stream().map(m -> figure.applyAsDouble(m)).toList());
    }

    public static String text(List<BenchmarkResult> runs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-15s %5s %17s %17s %17s %17s%n",
                "method", "runs", "precision", "recall", "F1", "ROC-AUC"));
        for (Row r : of(runs)) {
            sb.append(String.format(Locale.ROOT, "%-15s %5d %17s %17s %17s %17s%n", r.method(), r.runs(),
                    r.precision(), r.recall(), r.f1(), r.auc()));
        }
        return sb.toString();
    }

    public static String markdown(List<BenchmarkResult> runs) {
        StringBuilder sb = new StringBuilder("| method | runs | precision | recall | F1 | ROC-AUC |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (Row r : of(runs)) {
            sb.append("| ").append(r.method()).append(" | ").append(r.runs()).append(" | ").append(r.precision())
                    .append(" | ").append(r.recall()).append(" | ").append(r.f1()).append(" | ").append(r.auc())
                    .append(" |\n");
        }
        return sb.toString();
    }
}
