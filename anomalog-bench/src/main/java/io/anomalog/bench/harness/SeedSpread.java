package io.anomalog.bench.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A method's figures over several runs (models trained with other seeds, or splits drawn with other seeds): mean,
 * sample standard deviation, lowest and highest of each. A deep model's result depends on its initialisation,
 * and a small test set moves F1 by whole anomalies; the spread says which differences are larger than that luck.
 *
 * @param method the method
 * @param runs   the runs summarised
 */
public record SeedSpread(String method, int runs, Spread precision, Spread recall, Spread f1, Spread fpr,
                         Spread auc, Spread projectedF1, Spread fitSeconds) {

    /** One figure over the runs; runs where the figure is NaN (no scores, no projection) are left out. */
    public record Spread(int values, double mean, double sd, double min, double max) {

        public static Spread of(double... values) {
            double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).toArray();
            if (v.length == 0) {
                return new Spread(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double mean = Arrays.stream(v).average().orElseThrow();
            double ss = Arrays.stream(v).map(d -> (d - mean) * (d - mean)).sum();
            return new Spread(v.length, mean, v.length < 2 ? 0 : Math.sqrt(ss / (v.length - 1)),
                    Arrays.stream(v).min().orElseThrow(), Arrays.stream(v).max().orElseThrow());
        }

        /** "mean ± sd" with four decimals, "-" without values. */
        public String meanSd() {
            return values == 0 ? "-" : String.format(Locale.ROOT, "%.4f ± %.4f", mean, sd);
        }
    }

    public static SeedSpread of(List<MethodResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("a spread needs at least one run");
        }
        return new SeedSpread(results.get(0).method(), results.size(),
                spread(results, m -> m.confusion().precision()), spread(results, m -> m.confusion().recall()),
                spread(results, m -> m.confusion().f1()), spread(results, m -> m.confusion().fpr()),
                spread(results, MethodResult::auc), spread(results, MethodResult::projectedF1),
                spread(results, MethodResult::fitSeconds));
    }

    /** The spread over a method's model seeds in one run. */
    public static SeedSpread overModelSeeds(List<HarnessResult.SeedRun> runs) {
        return of(runs.stream().map(HarnessResult.SeedRun::result).toList());
    }

    /** One spread per method over runs with other split seeds, in the order of the first run. */
    public static List<SeedSpread> overSplits(List<HarnessResult> runs) {
        Map<String, List<MethodResult>> byMethod = new LinkedHashMap<>();
        for (HarnessResult r : runs) {
            for (MethodResult m : r.results()) {
                byMethod.computeIfAbsent(m.method(), k -> new ArrayList<>()).add(m);
            }
        }
        return byMethod.values().stream().map(SeedSpread::of).toList();
    }

    private static Spread spread(List<MethodResult> results, ToDoubleFunction<MethodResult> figure) {
        return Spread.of(results.stream().mapToDouble(figure).toArray());
    }
}
