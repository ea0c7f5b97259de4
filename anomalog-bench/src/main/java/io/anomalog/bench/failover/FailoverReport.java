package io.anomalog.bench.failover;

import io.anomalog.bench.report.Charts;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.stream.broker.EmbeddedKafka;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The failover benchmark's Markdown report and its latency-over-time chart (in the folder named like the report). */
public final class FailoverReport {

    /** The target: a leader failing adds at most this much latency to the stream. */
    public static final double TARGET_ADDED_MILLIS = 10_000;
    static final String CHART = "latency.png";

    private FailoverReport() {
    }

    /** Whether the run met the target: nothing lost or repeated, and at most 10 s of added latency. */
    public static boolean met(FailoverBenchmark.Result r) {
        return r.lost() == 0 && r.shippedRepeated() == 0 && r.parsedRepeated() == 0 && r.anomalyRepeated() == 0
                && r.figures().addedMillis() <= TARGET_ADDED_MILLIS;
    }

    public static void write(Path file, FailoverBenchmark.Result r, FailoverBenchmark.Settings s, String command)
            throws IOException {
        String folder = Charts.folderBeside(file);
        Path charts = file.resolveSibling(folder);
        Files.createDirectories(charts);
        System.setProperty("java.awt.headless", "true");
        chart(r, charts.resolve(CHART));
        FailoverFigures.Figures f = r.figures();
        String md = String.format(Locale.ROOT, """
                # Broker-leader failover

                Produced by `%s` on %s (%d CPU cores seen by the JVM; system load average %.1f before the run and
                %.1f after it: a load above the core count means other work competed for the CPU and the latencies
                are pessimistic).

                Path measured: a three-node KRaft cluster in one JVM (each node broker and controller voter; every
                topic with 3 replicas and `min.insync.replicas=2`) <- %d simulated HDFS hosts appending %,.0f lines/s
                in all to their log files -> one shipper per host (transactional, `acks=all`; `logs.<host>` with one
                partition) -> the detector service (Kafka Streams, exactly_once_v2; Drain parsing, sessions by block
                id, %s scoring, `logs.parsed` on) -> a `read_committed` reader of `logs.parsed`. After %.1f s of
                writing (planned: %.0f s; the kill waits, at most %d minutes longer, until the detector has kept up,
                with fewer lines written and not yet arrived than a second brings, for as long as the baseline lasts),
                broker %d, the leader of `logs.%s` (the active controller was broker %d), was stopped without
                a controlled shutdown, as a failing machine stops; broker %d led the partition afterwards. Writing
                went on for %.1f s in all.

                **Latency** of a line: from the moment its host finished appending it to the file to the moment its
                parsed event was visible to the reader of `logs.parsed` (shipper, replication, detector, its
                transaction commit, delivery). **Baseline**: lines written in the %.0f s before the kill that arrived
                before it. **After the kill**: every line that arrived after it. **Added latency**: the maximum after the
                kill minus the baseline p99. **Throughput recovery**: the time from the kill until the backlog (lines
                written but not yet arrived) is back at the worst baseline backlog, after it first rose above it.

                | figure | value | target |
                |---|---|---|
                | baseline latency p50 / p99 (%,d lines) | %.0f ms / %.0f ms | |
                | latency after the kill p50 / p99 (%,d lines) | %.0f ms / %.0f ms | |
                | latency after the kill, max | %.0f ms | |
                | **added latency** (max after the kill - baseline p99) | **%.1f s** | <= 10 s: **%s** |
                | throughput recovered after | %s | |
                | backlog: worst in the baseline / worst after the kill | %,d / %,d lines | |
                | baseline throughput (parsed events read per second) | %,.0f lines/s | |
                | lines written | %,d | |
                | lines in `logs.<host>` (distinct file+offset) / repeated | %,d / %,d | all, 0 |
                | lines in `logs.parsed` (distinct file+offset) / repeated | %,d / %,d | all, 0 |
                | written lines missing from either topic | %,d | 0 |
                | sessions with anomaly records / sessions reported more than once | %,d / %,d | 0 repeated |
                | model training before the run (not timed above) | %.1f s | |

                ![latency of the lines written in each second, and lines read per second](%s/%s)

                What bounds the failover (Kafka's defaults unless said): the controller fences a broker that stopped
                heartbeating after `broker.session.timeout.ms` (%s) and only then elects new leaders and shrinks the ISR of every partition it replicated, so with
                `acks=all` every write that waits for its replica stalls for that long, whichever broker fails. When
                the failed node was also the active controller a new one is elected first
                (`controller.quorum.election.timeout.ms`, 1 s, after `controller.quorum.fetch.timeout.ms`, 2 s). The
                clients learn the new leaders from a metadata refresh that an error triggers at once (not
                `metadata.max.age.ms`, 5 minutes by default, which only bounds how stale idle metadata gets), and
                retry every `retry.backoff.ms` (100 ms, growing to `retry.backoff.max.ms`, 1 s) within
                `delivery.timeout.ms` (2 min). Here the node's sockets close with it, so no request waits out
                `request.timeout.ms` (30 s); a machine that vanishes without closing its connections would leave a
                request in flight to wait that long.
                """, command, Instant.now().toString().substring(0, 10), r.cores(), r.loadBefore(), r.loadAfter(),
                s.hosts, s.linesPerSecond, s.method, r.killSecond(), s.killAt.toMillis() / 1000.0,
                FailoverBenchmark.MAX_KILL_DELAY_MILLIS / 60_000, r.killedBroker(), r.killedHost(),
                r.controllerBeforeKill(), r.newLeader(), r.writeSeconds(), (s.killAt.toMillis() - s.baselineFrom.toMillis()) / 1000.0,
                f.baselineLines(), f.baselineP50(), f.baselineP99(), f.afterLines(), f.afterP50(), f.afterP99(),
                f.afterMax(), f.addedMillis() / 1000.0, met(r) ? "met" : "not met",
                Double.isNaN(f.recoveryMillis()) ? "not before writing ended"
                        : f.recoveryMillis() == 0 ? "never fell behind"
                        : String.format(Locale.ROOT, "%.1f s", f.recoveryMillis() / 1000.0),
                f.baselineBacklog(), f.worstBacklog(), f.baselineLinesPerSecond(), r.written(), r.shippedDistinct(),
                r.shippedRepeated(), r.arrived(), r.parsedRepeated(), r.lost(), r.anomalySessions(),
                r.anomalyRepeated(), r.trainingSeconds(), folder, CHART,
                s.brokerSessionTimeout == null
                        ? String.format(Locale.ROOT, "%.1f s, the setting anomalog's own clusters use and "
                        + "docs/streaming.md recommends, where Kafka's default is 9 s; heartbeats every "
                        + "`broker.heartbeat.interval.ms`, %.1f s",
                        EmbeddedKafka.CLUSTER_SESSION_TIMEOUT_MILLIS / 1000.0, EmbeddedKafka.CLUSTER_HEARTBEAT_MILLIS / 1000.0)
                        : String.format(Locale.ROOT, "**set to %.1f s here** (`--broker-session-timeout`; anomalog's "
                        + "clusters use %.1f s, Kafka's default is 9 s); heartbeats every %.2f s",
                        s.brokerSessionTimeout.toMillis() / 1000.0, EmbeddedKafka.CLUSTER_SESSION_TIMEOUT_MILLIS / 1000.0,
                        FailoverBenchmark.heartbeatMillis(s.brokerSessionTimeout) / 1000.0));
        AtomicFiles.write(file, md.getBytes(StandardCharsets.UTF_8));
    }

    private static void chart(FailoverBenchmark.Result r, Path file) throws IOException {
        XYChart c = new XYChartBuilder().width(900).height(460).title("Latency over time, broker "
                        + r.killedBroker() + " stopped at " + String.format(Locale.ROOT, "%.1f s", r.killSecond()))
                .xAxisTitle("second of writing").yAxisTitle("latency, ms (lines read per second / 10)").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        List<Double> x = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> max = new ArrayList<>();
        List<Double> rate = new ArrayList<>();
        double top = 1;
        for (FailoverFigures.Second sec : r.figures().timeline()) {
            x.add((double) sec.second());
            p50.add(Double.isNaN(sec.p50Millis()) ? 0 : sec.p50Millis());
            max.add(Double.isNaN(sec.maxMillis()) ? 0 : sec.maxMillis());
            rate.add(sec.arrived() / 10.0);
            top = Math.max(top, Math.max(Double.isNaN(sec.maxMillis()) ? 0 : sec.maxMillis(), sec.arrived() / 10.0));
        }
        c.addSeries("latency max of the lines written that second", x, max).setMarker(SeriesMarkers.NONE);
        c.addSeries("latency p50", x, p50).setMarker(SeriesMarkers.NONE);
        c.addSeries("parsed events read that second / 10", x, rate).setMarker(SeriesMarkers.NONE);
        c.addSeries("broker stopped", List.of(r.killSecond(), r.killSecond()), List.of(0.0, top))
                .setMarker(SeriesMarkers.NONE);
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG));
    }
}
