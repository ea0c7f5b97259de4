package io.anomalog.bench.services;

import io.anomalog.bench.harness.Harness;
import io.anomalog.bench.harness.HarnessResult;
import io.anomalog.bench.harness.MethodResult;
import io.anomalog.bench.harness.ScoredTest;
import io.anomalog.bench.protocol.ServicesProtocol;
import io.anomalog.bench.report.Charts;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;
import io.anomalog.stream.simulate.AnomalyKind;
import io.anomalog.stream.simulate.ServicesSimulator;
import io.anomalog.stream.simulate.ServicesWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * The report of {@code anomalog bench services}: simulates the multi-service logs (timed), runs the reconstruction
 * detector and the baselines through the harness on protocol {@code services} (every method on the same windows
 * and vectors), and writes accuracy, precision, recall, F1, ROC-AUC, the false-positive rate on normal windows,
 * recall per anomaly kind, the curves, the comparison with the multi-service study and whether each target is
 * met. One Markdown file; its charts go into the folder of the same name beside it.
 */
public final class ServicesReport {

    public static final List<String> DEFAULT_METHODS = List.of("reconstruction", "zscore", "moving-average",
            "svm-rbf", "tree", "iforest");
    static final String MAIN = "reconstruction";
    /** The targets. */
    static final double TARGET_RECALL = 0.90;
    static final double TARGET_FPR = 0.01;
    static final double TARGET_SIMULATE_SECONDS = 10;
    static final double TARGET_FEATURES_PER_SECOND = 500_000;
    static final double TARGET_TRAIN_SECONDS = 120;

    /**
     * What to simulate and how to judge it.
     *
     * @param entries         entries to simulate
     * @param days            their span
     * @param anomaliesPerDay anomalies injected per day
     * @param seed            the simulation's seed (the models keep their own default seeds)
     * @param width           the window width
     * @param history         windows per judged sequence
     */
    public record Settings(long entries, double days, double anomaliesPerDay, long seed, Duration width,
                           int history) {
    }

    private final Settings settings;
    private final Progress progress;
    private final Consumer<String> log;

    public ServicesReport(Settings settings, Progress progress, Consumer<String> log) {
        this.settings = settings;
        this.progress = progress;
        this.log = log;
    }

    /**
     * Simulates into {@code simDir}, runs the methods, writes the report to {@code out} and its charts beside it.
     *
     * @return the report's Markdown
     */
    public String write(List<String> methods, Map<String, Map<String, String>> params, Path simDir, Path out,
                        String command) throws IOException {
        log.accept(String.format(Locale.ROOT, "simulating %,d entries into %s", settings.entries(), simDir));
        long t0 = System.nanoTime();
        ServicesWriter.Summary sim = ServicesWriter.write(ServicesSimulator.builder().entries(settings.entries())
                .days(settings.days()).anomaliesPerDay(settings.anomaliesPerDay()).seed(settings.seed()).build(),
                settings.seed(), simDir);
        double simulateSeconds = (System.nanoTime() - t0) / 1e9;
        ServicesProtocol protocol = new ServicesProtocol(simDir, settings.width(), settings.history());
        Set<String> registered = Detectors.all().keySet();
        List<String> available = methods.stream().filter(registered::contains).toList();
        HarnessResult r = Harness.on(protocol).seed(settings.seed()).methods(available).params(params)
                .progress(progress).log(log).command(command).run();
        String stem = Charts.folderBeside(out);
        Charts.write(out.resolveSibling(stem), ServicesProtocol.NAME, r.results(), false);
        String md = markdown(r, protocol, sim, simulateSeconds, methods, stem, command);
        AtomicFiles.write(out, md.getBytes(StandardCharsets.UTF_8));
        return md;
    }

    /** Recall on the test windows where a kind acts, by the method's own decisions or another rule. */
    static double recall(ScoredTest t, List<Sequence> test, Map<String, Set<String>> kinds, String kind,
                         IntPredicate flagged) {
        long n = 0;
        long caught = 0;
        for (int i = 0; i < test.size(); i++) {
            Set<String> k = kinds.get(test.get(i).id());
            if (k != null && k.contains(kind)) {
                n++;
                caught += flagged.test(i) ? 1 : 0;
            }
        }
        return n == 0 ? Double.NaN : (double) caught / n;
    }

    /** The lowest score threshold whose false-positive rate on the normal test windows is at most {@code fpr}. */
    static double thresholdAtFpr(ScoredTest t, double fpr) {
        double[] normal = new double[t.size()];
        int n = 0;
        for (int i = 0; i < t.size(); i++) {
            if (!t.isAnomalous(i)) {
                normal[n++] = t.score(i);
            }
        }
        double[] sorted = Arrays.copyOf(normal, n);
        Arrays.sort(sorted);
        int allowed = (int) Math.floor(fpr * n);      // normal windows allowed above the threshold
        return n == 0 ? Double.NEGATIVE_INFINITY : sorted[Math.max(0, n - 1 - allowed)];
    }

    /**
     * Whether the cut at {@link #TARGET_FPR} ({@link #thresholdAtFpr}) flags no window at all: more than that share of the normal windows
     * share the highest score (a tree's pure leaves, an SVM's decisions), so no threshold between them exists.
     */
    static boolean flagsNothingAtTheCut(ScoredTest t, double th) {
        for (int i = 0; i < t.size(); i++) {
            if (t.score(i) > th) {
                return false;
            }
        }
        return true;
    }

    /**
     * The reconstruction detector's recall per kind and series at the 1 % cut: which hosts' windows an anomaly's
     * label covers and which of them the detector finds (a slow dependency is labelled on every host it slows).
     */
    static void perSeries(StringBuilder s, ScoredTest t, List<Sequence> test, Map<String, Set<String>> kinds) {
        double th = thresholdAtFpr(t, TARGET_FPR);
        Map<String, long[]> counts = new java.util.TreeMap<>();   // series -> per kind: windows, caught
        int k = AnomalyKind.values().length;
        for (int i = 0; i < test.size(); i++) {
            Set<String> ks = kinds.get(test.get(i).id());
            if (ks == null) {
                continue;
            }
            String id = test.get(i).id();
            String series = id.substring(0, id.indexOf('@', id.indexOf('@') + 1));
            long[] c = counts.computeIfAbsent(series, x -> new long[2 * k]);
            for (AnomalyKind kind : AnomalyKind.values()) {
                if (ks.contains(kind.label())) {
                    c[2 * kind.ordinal()]++;
                    c[2 * kind.ordinal() + 1] += t.score(i) > th ? 1 : 0;
                }
            }
        }
        if (counts.isEmpty()) {
            return;
        }
        s.append("The same cut for the reconstruction detector, per series (service@host): recall (anomalous test "
                + "windows of that kind):\n\n| series |");
        for (AnomalyKind kind : AnomalyKind.values()) {
            s.append(' ').append(kind.label()).append(" |");
        }
        s.append("\n|---|").append("---:|".repeat(k)).append('\n');
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            s.append("| ").append(e.getKey()).append(" |");
            long[] c = e.getValue();
            for (int j = 0; j < k; j++) {
                s.append(c[2 * j] == 0 ? " |" : String.format(Locale.ROOT, " %s (%d) |",
                        f((double) c[2 * j + 1] / c[2 * j]), c[2 * j]));
            }
            s.append('\n');
        }
        s.append('\n');
    }

    /**
     * For each kind, the one feature column (its standardised value, or its negation for a drop) that alone catches
     * the most of the kind's test windows when cut where at most 1 % of the normal test windows exceed it. The
     * column is chosen on the test windows, so this is an optimistic reference for how far one column separates a
     * kind from normal windows (how much signal the windows hold), not a method.
     */
    static void bestSingleFeature(StringBuilder s, List<Sequence> test, Map<String, Set<String>> kinds) {
        if (test.isEmpty() || !test.get(0).hasFeatures()) {
            return;
        }
        List<String> names = test.get(0).features().names();
        int width = names.size();
        int normals = 0;
        for (Sequence q : test) {
            normals += kinds.containsKey(q.id()) ? 0 : 1;
        }
        if (normals == 0) {
            return;
        }
        double[][] normal = new double[width][normals];
        int n = 0;
        for (Sequence q : test) {
            if (!kinds.containsKey(q.id())) {
                double[] v = q.features().last();
                for (int j = 0; j < width; j++) {
                    normal[j][n] = v[j];
                }
                n++;
            }
        }
        // column j's rise is cut above its allowed-th highest normal value, its drop below its allowed-th lowest
        int allowed = Math.min(normals - 1, (int) Math.floor(TARGET_FPR * normals));
        double[] above = new double[width];
        double[] below = new double[width];
        for (int j = 0; j < width; j++) {
            Arrays.sort(normal[j]);
            above[j] = normal[j][normals - 1 - allowed];
            below[j] = normal[j][allowed];
        }
        s.append("The best single feature per kind at the same 1 % cut: the one column (standardised, or negated "
                + "for a drop) that alone catches the most of the kind's test windows, chosen on the test windows "
                + "themselves, so an optimistic reference for how much of each kind one column shows, not a "
                + "method:\n\n| kind | feature | recall |\n|---|---|---:|\n");
        for (AnomalyKind kind : AnomalyKind.values()) {
            long[] caught = new long[2 * width];
            long windows = 0;
            for (Sequence q : test) {
                Set<String> k = kinds.get(q.id());
                if (k != null && k.contains(kind.label())) {
                    windows++;
                    double[] v = q.features().last();
                    for (int j = 0; j < width; j++) {
                        caught[2 * j] += v[j] > above[j] ? 1 : 0;
                        caught[2 * j + 1] += v[j] < below[j] ? 1 : 0;
                    }
                }
            }
            if (windows == 0) {
                continue;
            }
            int best = 0;
            for (int c = 1; c < 2 * width; c++) {
                best = caught[c] > caught[best] ? c : best;
            }
            s.append("| ").append(kind.label()).append(" | ").append(best % 2 == 1 ? "-" : "")
                    .append(names.get(best / 2)).append(" | ").append(f((double) caught[best] / windows))
                    .append(" |\n");
        }
        s.append('\n');
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    String markdown(HarnessResult r, ServicesProtocol protocol, ServicesWriter.Summary sim, double simulateSeconds,
                    List<String> methods, String charts, String command) {
        List<Sequence> test = r.split().test().stream().filter(q -> q.label().isKnown()).toList();
        Map<String, Set<String>> kinds = protocol.kinds();
        ServicesProtocol.Measured m = protocol.measured();
        StringBuilder s = new StringBuilder();
        s.append("# Multi-service JSON logs: reconstruction LSTM and baselines\n\n");
        s.append("Written by `").append(command).append("` on ").append(LocalDate.now()).append(" (")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores visible, 1 PyTorch intra-op "
                        + "thread). The machine was shared with other work while it ran, so every time below is "
                        + "pessimistic.\n\n");
        s.append("## Data and split\n\n");
        s.append(r.description()).append(".\n\n");
        s.append(String.format(Locale.ROOT, "- simulated: %,d entries on %d hosts over %s days, %d anomalies "
                        + "(%,d entries changed by them), seed %d\n", sim.entries(), ServicesSimulator.HOSTS.size(),
                settings.days(), sim.anomalies().size(), sim.anomalousEntries(), settings.seed()));
        r.split().notes().forEach((k, v) -> {
            if (!k.contains(".")) {
                s.append("- ").append(k).append(": ").append(v).append('\n');
            }
        });
        s.append("- parameters the protocol suggests: ");
        List<String> suggested = new ArrayList<>();
        r.split().notes().forEach((k, v) -> {
            if (k.contains(".") && !k.contains(" ")) {
                suggested.add("`" + k + "=" + v + "`");
            }
        });
        s.append(String.join(", ", suggested)).append("\n\n");
        long[] perKind = new long[AnomalyKind.values().length];
        for (Sequence q : test) {
            Set<String> k = kinds.get(q.id());
            if (k != null) {
                for (AnomalyKind kind : AnomalyKind.values()) {
                    perKind[kind.ordinal()] += k.contains(kind.label()) ? 1 : 0;
                }
            }
        }
        s.append("Anomalous test windows per kind (a window can hold more than one): ");
        for (AnomalyKind kind : AnomalyKind.values()) {
            s.append(kind.ordinal() == 0 ? "" : ", ").append(kind.label()).append(' ').append(perKind[kind.ordinal()]);
        }
        s.append(".\n\n");

        s.append("## Results on the test windows\n\n");
        s.append("Each method at its own threshold (the reconstruction detector: mean + k sigma of the normal "
                + "validation windows' scores, k = ");
        MethodResult main = find(r, MAIN);
        s.append(main == null ? "3" : main.parameters().getOrDefault("k", "3")).append("). FPR: false-positive "
                + "rate on the normal test windows.\n\n");
        s.append("| method | accuracy | precision | recall | F1 | ROC-AUC | FPR | TP | FP | FN | TN | train s |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String method : methods) {
            MethodResult x = find(r, method);
            if (x == null) {
                s.append("| ").append(method).append(" | method not available in this build |\n");
                continue;
            }
            ConfusionMatrix c = x.confusion();
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.4f | %d | %d | %d | %d | %.1f |\n",
                    method, f(c.accuracy()), f(c.precision()), f(c.recall()), f(c.f1()), f(x.auc()), c.fpr(), c.tp(),
                    c.fp(), c.fn(), c.tn(), x.fitSeconds()));
        }
        s.append("\nRecall per anomaly kind (own thresholds):\n\n| method |");
        for (AnomalyKind kind : AnomalyKind.values()) {
            s.append(' ').append(kind.label()).append(" |");
        }
        s.append("\n|---|").append("---:|".repeat(AnomalyKind.values().length)).append('\n');
        for (String method : methods) {
            MethodResult x = find(r, method);
            if (x == null) {
                continue;
            }
            s.append("| ").append(method).append(" |");
            for (AnomalyKind kind : AnomalyKind.values()) {
                s.append(' ').append(f(recall(x.test(), test, kinds, kind.label(), x.test()::flagged))).append(" |");
            }
            s.append('\n');
        }
        s.append("\nRecall per anomaly kind with each method's scores cut where at most 1 % of the normal test "
                + "windows are flagged (the threshold the target speaks of; methods without scores left out):\n\n"
                + "| method | threshold |");
        for (AnomalyKind kind : AnomalyKind.values()) {
            s.append(' ').append(kind.label()).append(" |");
        }
        s.append(" F1 |\n|---|---:|").append("---:|".repeat(AnomalyKind.values().length)).append("---:|\n");
        List<String> coarse = new ArrayList<>();
        for (String method : methods) {
            MethodResult x = find(r, method);
            if (x == null || !x.test().hasScores()) {
                continue;
            }
            double th = thresholdAtFpr(x.test(), TARGET_FPR);
            ConfusionMatrix cut = x.test().where(i -> x.test().score(i) > th);
            if (flagsNothingAtTheCut(x.test(), th)) {
                coarse.add(method);
            }
            s.append("| ").append(method).append(String.format(Locale.ROOT, " | %.4g |", th));
            for (AnomalyKind kind : AnomalyKind.values()) {
                s.append(' ').append(f(recall(x.test(), test, kinds, kind.label(), i -> x.test().score(i) > th)))
                        .append(" |");
            }
            s.append(' ').append(f(cut.f1())).append(" |\n");
        }
        s.append('\n');
        if (!coarse.isEmpty()) {
            s.append(String.join(", ", coarse)).append(coarse.size() == 1 ? " gives" : " give")
                    .append(" more than 1 % of the normal test windows its highest score, so no cut of its scores "
                            + "stays within 1 % and flags anything: the zeros above say that, not that it finds "
                            + "none of a kind.\n\n");
        }
        MethodResult reconstruction = find(r, MAIN);
        if (reconstruction != null && reconstruction.test().hasScores()) {
            perSeries(s, reconstruction.test(), test, kinds);
        }
        bestSingleFeature(s, test, kinds);
        s.append(Charts.markdown(charts, r.results()));

        s.append("## Compared with the multi-service study\n\n");
        s.append("The study (Dupont and Martin, 2024) reports, on its own simulated data:\n\n");
        s.append("| method | study accuracy | study precision | study recall | study F1 | here accuracy | here precision "
                + "| here recall | here F1 |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        study(s, r, "LSTM (here: reconstruction)", MAIN, "0.95", "0.92", "0.90", "0.91");
        study(s, r, "SVM (here: svm-rbf)", "svm-rbf", "0.85", "", "", "");
        study(s, r, "decision tree (here: tree)", "tree", "0.80", "", "", "");
        s.append("\nHow the set-ups differ: the study's data, simulator and feature set are not public, so the figures "
                + "are not measured on the same entries. Here the unit is a window of one service on one host (the "
                + "study does not say what its unit is); the anomalies include two kinds the study does not name "
                + "(latency creep, silent service); a window counts as anomalous when it holds an entry an anomaly wrote "
                + "or changed (or its service is silenced in it), including the first minutes of a creep when the "
                + "slow-down is still small and a login whose one database query a slow database delayed by a few "
                + "milliseconds, which bounds the recall any method can reach. Accuracy is dominated by the normal windows here (see the "
                + "split), so it says little beside precision and recall. The supervised baselines learn from the "
                + "training windows' labels, the others from the normal training windows only; every method reads "
                + "the same standardised vectors.\n\n");

        s.append("## Targets\n\n");
        targets(s, r, test, kinds, sim, simulateSeconds, m);
        return s.toString();
    }

    private static void study(StringBuilder s, HarnessResult r, String label, String method, String a, String p,
                              String rc, String f1) {
        MethodResult x = find(r, method);
        ConfusionMatrix c = x == null ? null : x.confusion();
        s.append("| ").append(label).append(" | ").append(a).append(" | ").append(p).append(" | ").append(rc)
                .append(" | ").append(f1).append(" | ");
        s.append(c == null ? "not run | | | |" : f(c.accuracy()) + " | " + f(c.precision()) + " | " + f(c.recall())
                + " | " + f(c.f1()) + " |").append('\n');
    }

    private void targets(StringBuilder s, HarnessResult r, List<Sequence> test, Map<String, Set<String>> kinds,
                         ServicesWriter.Summary sim, double simulateSeconds, ServicesProtocol.Measured m) {
        MethodResult main = find(r, MAIN);
        if (main == null) {
            s.append("- the reconstruction detector did not run: no detection target can be judged\n");
        } else {
            ScoredTest t = main.test();
            double th = thresholdAtFpr(t, TARGET_FPR);
            ConfusionMatrix at = t.where(i -> t.score(i) > th);
            List<String> below = new ArrayList<>();
            StringBuilder per = new StringBuilder();
            for (AnomalyKind kind : AnomalyKind.values()) {
                double rec = recall(t, test, kinds, kind.label(), i -> t.score(i) > th);
                per.append(per.length() == 0 ? "" : ", ").append(kind.label()).append(' ').append(f(rec));
                if (!(rec >= TARGET_RECALL)) {
                    below.add(kind.label());
                }
            }
            s.append(String.format(Locale.ROOT, "- recall >= %.2f for every kind at <= 1 %% false positives on normal "
                            + "windows: **%s** (at the threshold with FPR %.4f: %s)%n", TARGET_RECALL,
                    below.isEmpty() ? "met" : "not met for " + String.join(", ", below), at.fpr(), per));
            List<String> ahead = new ArrayList<>();
            for (MethodResult x : r.results()) {
                if (!x.method().equals(MAIN) && x.confusion().f1() >= main.confusion().f1()) {
                    ahead.add(String.format(Locale.ROOT, "%s %.3f", x.method(), x.confusion().f1()));
                }
            }
            s.append(String.format(Locale.ROOT, "- ahead of every baseline on F1 (own thresholds): **%s** "
                    + "(reconstruction %.3f%s)%n", ahead.isEmpty() ? "met" : "not met", main.confusion().f1(),
                    ahead.isEmpty() ? "" : "; as good or better: " + String.join(", ", ahead)));
            List<String> wins = new ArrayList<>();
            for (AnomalyKind kind : AnomalyKind.values()) {
                double own = recall(t, test, kinds, kind.label(), t::flagged);
                for (MethodResult x : r.results()) {
                    double other = recall(x.test(), test, kinds, kind.label(), x.test()::flagged);
                    if (!x.method().equals(MAIN) && other > own) {
                        wins.add(String.format(Locale.ROOT, "%s on %s (%s against %s)", x.method(), kind.label(),
                                f(other), f(own)));
                    }
                }
            }
            s.append("- kinds where a baseline has a higher recall than the reconstruction detector (own thresholds): ")
                    .append(wins.isEmpty() ? "none" : String.join("; ", wins)).append('\n');
            s.append(String.format(Locale.ROOT, "- training on the 70 %% split <= 2 minutes: **%s** (%.1f s, %s epochs)%n",
                    main.fitSeconds() <= TARGET_TRAIN_SECONDS ? "met" : "not met", main.fitSeconds(),
                    main.training().getOrDefault("epochsRun", "?")));
        }
        double perSecond = sim.entries() / simulateSeconds;
        s.append(String.format(Locale.ROOT, "- simulating 1,000,000 entries <= 10 s: **%s** (%,d entries written in "
                        + "%.1f s, %,.0f entries/s%s)%n",
                sim.entries() >= 1_000_000 ? (simulateSeconds <= TARGET_SIMULATE_SECONDS ? "met" : "not met")
                        : "not measured at 1,000,000", sim.entries(), simulateSeconds, perSecond,
                sim.entries() >= 1_000_000 ? "" : "; run with --entries 1000000"));
        s.append(String.format(Locale.ROOT, "- features >= 500,000 entries/s: **%s** (the window feature extractor "
                        + "took %.2f s for %,d parsed entries: %,.0f entries/s; reading and parsing the JSON "
                        + "through the ingest pipeline before it took %.1f s, %,.0f entries/s)%n",
                m.featureEntriesPerSecond() >= TARGET_FEATURES_PER_SECOND ? "met" : "not met", m.featureSeconds(),
                m.entries(), m.featureEntriesPerSecond(), m.parseSeconds(), m.entries() / m.parseSeconds()));
    }

    private static MethodResult find(HarnessResult r, String method) {
        return r.results().stream().filter(x -> x.method().equals(method)).findFirst().orElse(null);
    }
}
