package io.anomalog.bench.online;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.Updatable;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Folders;
import io.anomalog.core.util.Progress;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code anomalog bench online}: for each scenario, trains DeepLog with its defaults, replays the stream with and
 * without online update ({@link OnlineReplay}), and writes a markdown report with false positives and recall over
 * time, the cost of each update and a chart of false alarms per step.
 */
public final class OnlineReport {

    private final DataDir data;
    private final Path repo;
    private final long seed;
    private final Map<String, String> params;
    private final int delay;
    private final Progress progress;
    private final Consumer<String> log;

    public OnlineReport(DataDir data, Path repo, long seed, Map<String, String> params, int delay, Progress progress,
                        Consumer<String> log) {
        this.data = data;
        this.repo = repo;
        this.seed = seed;
        this.params = params;
        this.delay = delay;
        this.progress = progress;
        this.log = log;
    }

    public void write(List<String> scenarios, Path out, String command) throws IOException {
        Path charts = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.md$", ""));
        Files.createDirectories(charts);
        StringBuilder md = new StringBuilder();
        md.append("# Online update: learning from false-positive feedback\n\n")
                .append("Produced by `").append(command).append("`.\n\n")
                .append("Each scenario trains DeepLog with its default settings (plus the protocol's suggested ones), ")
                .append("then replays a labelled stream in order, in steps. Every false positive of a step is answered ")
                .append("\"false positive\" ").append(delay).append(" step(s) later, as an operator would, and every ")
                .append("true anomaly is confirmed (the first 500 are kept as regression cases: an update that would ")
                .append("judge one of them normal is held back). The feedback due at a step is applied as one update ")
                .append("(the path the live stream and `anomalog train --update` take) before the step is judged. ")
                .append("The same stream judged by the first model throughout is the comparison.\n\n")
                .append("*Cost per update* is the wall time of one update: load the active version, learn, check the ")
                .append("regression cases, write the version, load it. In the live stream a version is picked up by ")
                .append("each instance within its 0.5 s poll of the model folder, after the updater's 0.2 s settle time.\n\n");
        for (String name : scenarios) {
            OnlineScenario s = OnlineScenario.byName(name, data, repo, seed);
            log.accept("online: " + s.name() + ": " + s.description());
            md.append(section(s, charts, out.getParent() == null ? charts : out.getParent().relativize(charts)));
        }
        AtomicFiles.write(out, md.toString().getBytes(StandardCharsets.UTF_8));
    }

    private String section(OnlineScenario s, Path charts, Path chartsRelative) throws IOException {
        Path work = Files.createTempDirectory("anomalog-online-");
        try {
            DetectorProvider provider = Detectors.provider("deeplog");
            long t0 = System.nanoTime();
            Path a = work.resolve("without");
            Path b = work.resolve("with");
            try (Detector d = s.training().trainer(provider, params, data)
                    .fit(s.training().trainingFor(provider), s.training().vocabulary(), progress)) {
                d.save(a);
                d.save(b);
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            OnlineReplay replay = new OnlineReplay(s.step(), delay, 500, Updatable.Settings.defaults());
            OnlineReplay.Run without = replay.without(a, s.stream(), progress);
            OnlineReplay.Run with = replay.with(b, s.stream(), progress);
            String chart = s.name() + "-false-positives.png";
            chart(s, without, with, charts.resolve(chart));
            return markdown(s, without, with, trainSeconds, chartsRelative.resolve(chart).toString());
        } finally {
            Folders.deleteTree(work);
        }
    }

    private String markdown(OnlineScenario s, OnlineReplay.Run without, OnlineReplay.Run with, double trainSeconds,
                            String chart) {
        StringBuilder md = new StringBuilder();
        int changeStep = s.changeAt() < 0 ? -1 : s.changeAt() / s.step();
        md.append("## ").append(s.name()).append("\n\n").append(s.description()).append(".\n\n")
                .append(String.format(Locale.ROOT, "Steps of %,d sessions; feedback after %d step(s); trained in %.1f s.%n%n",
                        s.step(), delay, trainSeconds));
        md.append("| part of the stream | false positives without update | with update | reduction | recall without | with | change (points) |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|\n");
        md.append(row("whole stream", OnlineReplay.compare(without, with, 0)));
        if (changeStep >= 0) {
            md.append(row("from the change on (step " + changeStep + ")", OnlineReplay.compare(without, with, changeStep)));
        }
        int last = without.steps().size();
        md.append(row("last half (from step " + last / 2 + ")", OnlineReplay.compare(without, with, last / 2)));
        md.append('\n');
        List<OnlineReplay.UpdateCost> u = with.updates();
        double[] secs = u.stream().mapToDouble(OnlineReplay.UpdateCost::seconds).sorted().toArray();
        long held = u.stream().filter(c -> !c.activated()).count();
        double forgetting = u.stream().mapToDouble(OnlineReplay.UpdateCost::forgetting).filter(x -> !Double.isNaN(x))
                .average().orElse(Double.NaN);
        md.append(String.format(Locale.ROOT, "Updates: %d (%d held back for a confirmed anomaly); false positives "
                        + "learned %,d; cost per update: median %.2f s, mean %.2f s, most %.2f s; mean forgetting "
                        + "(share of replayed training windows newly judged unexpected) %.4f; final version %s.%n%n",
                u.size(), held, u.stream().mapToLong(OnlineReplay.UpdateCost::falsePositives).sum(),
                secs.length == 0 ? 0 : secs[secs.length / 2],
                secs.length == 0 ? 0 : java.util.Arrays.stream(secs).average().orElse(0),
                secs.length == 0 ? 0 : secs[secs.length - 1], forgetting,
                with.steps().get(with.steps().size() - 1).version()));
        md.append("![false positives per step, with and without online update](").append(chart).append(")\n\n");
        if (!u.isEmpty()) {
            md.append("<details><summary>Every update</summary>\n\n| step | false positives learned | seconds | "
                    + "active | forgetting |\n|---:|---:|---:|---|---:|\n");
            for (OnlineReplay.UpdateCost c : u) {
                md.append(String.format(Locale.ROOT, "| %d | %,d | %.2f | %s | %.4f |%n", c.step(), c.falsePositives(),
                        c.seconds(), c.activated() ? "yes" : "held back", c.forgetting()));
            }
            md.append("\n</details>\n\n");
        }
        md.append("False positives and recall by tenth of the stream:\n\n")
                .append("| tenth | FP without | FP with | recall without | recall with |\n|---|---:|---:|---:|---:|\n");
        int n = last;
        for (int t = 0; t < 10; t++) {
            int from = t * n / 10;
            int to = (t + 1) * n / 10;
            long fpA = 0, fpB = 0, tpA = 0, tpB = 0, anA = 0, anB = 0;
            for (int k = from; k < to; k++) {
                OnlineReplay.Step x = without.steps().get(k);
                OnlineReplay.Step y = with.steps().get(k);
                fpA += x.fp();
                fpB += y.fp();
                tpA += x.tp();
                tpB += y.tp();
                anA += x.tp() + x.fn();
                anB += y.tp() + y.fn();
            }
            md.append(String.format(Locale.ROOT, "| %d | %,d | %,d | %s | %s |%n", t + 1, fpA, fpB, pct(tpA, anA),
                    pct(tpB, anB)));
        }
        md.append('\n');
        return md.toString();
    }

    private static String pct(long a, long b) {
        return b == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) a / b);
    }

    private static String row(String label, Map<String, Double> c) {
        return String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.1f%% | %.4f | %.4f | %+.2f |%n", label,
                c.get("fpWithout"), c.get("fpWith"), 100 * c.get("fpReduction"), c.get("recallWithout"),
                c.get("recallWith"), 100 * (c.get("recallWith") - c.get("recallWithout")));
    }

    private static void chart(OnlineScenario s, OnlineReplay.Run without, OnlineReplay.Run with, Path file)
            throws IOException {
        XYChart c = new XYChartBuilder().width(900).height(420).title("False positives per step: " + s.name())
                .xAxisTitle("step (" + s.step() + " sessions)").yAxisTitle("false positives").build();
        for (OnlineReplay.Run r : List.of(without, with)) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (OnlineReplay.Step st : r.steps()) {
                x.add((double) st.index());
                y.add((double) st.fp());
            }
            c.addSeries(r.update() ? "with online update" : "without update", x, y).setMarker(SeriesMarkers.NONE);
        }
        if (s.changeAt() >= 0) {
            double at = (double) s.changeAt() / s.step();
            double top = without.steps().stream().mapToLong(OnlineReplay.Step::fp).max().orElse(1);
            c.addSeries("workflow change", List.of(at, at), List.of(0.0, top)).setMarker(SeriesMarkers.NONE);
        }
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG));
    }
}
