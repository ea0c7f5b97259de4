package io.anomalog.bench.failover;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The figures of a failover run, computed from per-line samples alone (no clock, no Kafka), so that the arithmetic
 * can be checked on made-up samples.
 *
 * <p>A line's latency runs from the moment the simulated host finished appending it to its log file to the moment
 * its parsed event became visible to a {@code read_committed} consumer of {@code logs.parsed}: shipper read and
 * transaction, the broker's replication ({@code acks=all}), the detector's consumption, parsing and exactly-once
 * commit, and delivery to the reader.
 *
 * <ul>
 *   <li><b>baseline</b>: the lines written from {@code baselineFrom} on whose parsed event arrived before the
 *       kill: their journey never overlapped the failure;</li>
 *   <li><b>after the kill</b>: every line whose parsed event arrived at or after the kill, written up to the end of
 *       writing: this includes the lines in flight when the broker stopped;</li>
 *   <li><b>added latency</b>: the maximum latency after the kill minus the baseline p99;</li>
 *   <li><b>throughput recovery</b>: the backlog (lines written minus lines arrived) is followed on a grid; the
 *       worst baseline backlog is what normal running holds in flight. The stream has recovered when, after the
 *       backlog first rose above that level after the kill, it is back at or under it: the time from the kill to
 *       then. 0 when the backlog never rose above it; NaN when it was not back before writing ended.</li>
 * </ul>
 */
public final class FailoverFigures {

    /** One line: when it was written, when its parsed event arrived (epoch milliseconds). */
    public record Sample(String host, long writtenAt, long arrivedAt) {
        public long latency() {
            return arrivedAt - writtenAt;
        }
    }

    /** One second of the run (seconds since the start of writing): latency of the lines written in it, arrivals. */
    public record Second(int second, double p50Millis, double maxMillis, long written, long arrived) {
    }

    /** The figures; latencies in milliseconds. */
    public record Figures(int baselineLines, double baselineP50, double baselineP99, int afterLines, double afterP50,
                          double afterP99, double afterMax, double addedMillis, double recoveryMillis,
                          long baselineBacklog, long worstBacklog, double baselineLinesPerSecond,
                          List<Second> timeline) {
    }

    private FailoverFigures() {
    }

    /**
     * @param arrived      the lines that arrived (each once)
     * @param writtenAt    the write time of every line written, arrived or not
     * @param start        when writing began
     * @param baselineFrom the baseline starts here (after the start-up of the pipeline)
     * @param kill         when the broker was stopped
     * @param writeEnd     when writing ended
     * @param gridMillis   step of the backlog grid
     */
    public static Figures compute(List<Sample> arrived, long[] writtenAt, long start, long baselineFrom, long kill,
                                  long writeEnd, long gridMillis) {
        if (gridMillis <= 0 || !(start <= baselineFrom && baselineFrom <= kill && kill <= writeEnd)) {
            throw new IllegalArgumentException("need start <= baseline start <= kill <= end of writing and a positive grid");
        }
        List<Long> base = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        for (Sample s : arrived) {
            if (s.arrivedAt() < kill) {
                if (s.writtenAt() >= baselineFrom) {
                    base.add(s.latency());
                }
            } else if (s.writtenAt() <= writeEnd) {
                after.add(s.latency());
            }
        }
        double[] b = sorted(base);
        double[] a = sorted(after);
        double baseP99 = percentile(b, 0.99);
        double afterMax = a.length == 0 ? Double.NaN : a[a.length - 1];

        long[] w = writtenAt.clone();
        Arrays.sort(w);
        long[] arr = arrived.stream().mapToLong(Sample::arrivedAt).sorted().toArray();
        long baselineBacklog = 0;
        long worst = 0;
        boolean behind = false;
        double recovery = Double.NaN;
        boolean decided = false;
        for (long t = baselineFrom; t <= writeEnd; t += gridMillis) {
            long backlog = countAtOrBefore(w, t) - countAtOrBefore(arr, t);
            if (t < kill) {
                baselineBacklog = Math.max(baselineBacklog, backlog);
                continue;
            }
            worst = Math.max(worst, backlog);
            if (!behind && backlog > baselineBacklog) {
                behind = true;
            } else if (behind && !decided && backlog <= baselineBacklog) {
                recovery = t - kill;
                decided = true;
            }
        }
        if (!behind) {
            recovery = 0;
        }
        double baseSeconds = (kill - baselineFrom) / 1000.0;
        long arrivedInBaseline = Arrays.stream(arr).filter(t -> t >= baselineFrom && t < kill).count();
        return new Figures(b.length, percentile(b, 0.50), baseP99, a.length, percentile(a, 0.50),
                percentile(a, 0.99), afterMax, afterMax - baseP99, recovery, baselineBacklog, worst,
                baseSeconds > 0 ? arrivedInBaseline / baseSeconds : Double.NaN,
                timeline(arrived, w, arr, start, writeEnd));
    }

    /** Per second of writing: latency p50 and max of the lines written in it, and lines written and arrived in it. */
    static List<Second> timeline(List<Sample> arrived, long[] writtenSorted, long[] arrivedSorted, long start,
                                 long writeEnd) {
        int seconds = (int) ((writeEnd - start) / 1000) + 1;
        List<List<Long>> lat = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            lat.add(new ArrayList<>());
        }
        for (Sample s : arrived) {
            int sec = (int) ((s.writtenAt() - start) / 1000);
            if (sec >= 0 && sec < seconds) {
                lat.get(sec).add(s.latency());
            }
        }
        List<Second> out = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            double[] l = sorted(lat.get(i));
            long from = start + i * 1000L;
            out.add(new Second(i, percentile(l, 0.5), l.length == 0 ? Double.NaN : l[l.length - 1],
                    countAtOrBefore(writtenSorted, from + 999) - countAtOrBefore(writtenSorted, from - 1),
                    countAtOrBefore(arrivedSorted, from + 999) - countAtOrBefore(arrivedSorted, from - 1)));
        }
        return out;
    }

    private static double[] sorted(List<Long> values) {
        return values.stream().mapToDouble(Long::doubleValue).sorted().toArray();
    }

    /** The nearest-rank percentile of sorted values; NaN when there are none. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** How many of the sorted values are at or before {@code t}. */
    private static long countAtOrBefore(long[] sorted, long t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
