package io.anomalog.ml.deeplog.parameter;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.anomalog.core.detect.Explanation;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Why the parameter models flagged a sequence whose keys were all expected: the events whose parameter value
 * vectors were outside their key's confidence interval.
 *
 * @param anomalousEvents how many events were
 * @param confidence      the confidence of the intervals
 * @param events          the first of them, in sequence order (at most a few)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParameterExplanation(int anomalousEvents, double confidence, List<ParameterFinding> events)
        implements Explanation {

    @Override
    public String summary() {
        if (events.isEmpty()) {
            return "no anomalous parameter values";
        }
        ParameterFinding f = events.get(0);
        String dims = IntStream.range(0, f.dimensions().size())
                .boxed()
                .sorted((a, b) -> Double.compare(Math.abs(f.deviations()[b]), Math.abs(f.deviations()[a])))
                .map(d -> String.format(Locale.ROOT, "%s observed %s predicted %s (%+.1f deviations)",
                        f.dimensions().get(d), number(f.observed()[d]), number(f.predicted()[d]), f.deviations()[d]))
                .collect(Collectors.joining("; "));
        return String.format(Locale.ROOT, "%d event(s) with anomalous parameter values; first at event %d: key %d%s: %s",
                anomalousEvents, f.position(), f.key(), f.template() == null ? "" : " '" + f.template() + "'", dims);
    }

    private static String number(double v) {
        return Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v != 0) ? String.format(Locale.ROOT, "%.3g", v)
                : String.format(Locale.ROOT, "%.3f", v).replaceAll("\\.?0+$", "");
    }
}
