package io.anomalog.bench.attgru;

import io.anomalog.bench.harness.Harness;
import io.anomalog.bench.harness.HarnessResult;
import io.anomalog.bench.harness.MethodResult;
import io.anomalog.bench.harness.ModelProbe;
import io.anomalog.bench.harness.ThresholdSweep;
import io.anomalog.bench.report.Charts;
import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.protocol.Protocols;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.attgru.EventAttributes;
import io.anomalog.ml.attgru.SessionWindows;
import io.anomalog.ml.attgru.WindowClassifierTrainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The report of {@code anomalog bench attgru}: ATT-GRU, its ablations and the one-hot classifier (and the
 * unsupervised methods asked for, PCA and DeepLog by default) trained and tested by the harness on each
 * protocol, with validation figures on {@code hdfs-attgru}, warm scoring throughput in windows, a sweep of
 * decision thresholds over the window classifiers' stored scores, and the charts. One Markdown file; its charts
 * go into a folder of the same name beside it, one subfolder per protocol.
 */
public final class AttGruReport {

    /** The supervised window classifiers; only they get the extra parameters. */
    public static final List<String> WINDOW_CLASSIFIERS = List.of("attgru", "gru", "attlstm", "lstm",
            "lstm-classifier");
    public static final List<String> DEFAULT_METHODS = List.of("attgru", "gru", "attlstm", "lstm", "lstm-classifier",
            "pca", "deeplog");
    public static final List<String> DEFAULT_PROTOCOLS = List.of("hdfs-attgru", "bgl-supervised");
    /** The protocol whose validation set is scored too. */
    static final String VALIDATED_PROTOCOL = "hdfs-attgru";

    /** Thresholds the sweep applies to the window classifiers' session probabilities. */
    static final double[] SWEEP = {0.1, 0.2, 0.5, 0.9, 0.98, 0.99, 0.999};

    static final WarmThroughput THROUGHPUT = new WarmThroughput();
    static final ValidationMatrix VALIDATION = new ValidationMatrix();

    private final DataDir data;
    private final long seed;
    private final Map<String, String> windowParams;
    private final Progress progress;
    private final Consumer<String> log;

    /**
     * @param seed         split seed
     * @param windowParams extra hyper-parameters of every window classifier (the other methods keep their
     *                     defaults)
     */
    public AttGruReport(DataDir data, long seed, Map<String, String> windowParams, Progress progress,
                        Consumer<String> log) {
        this.data = data;
        this.seed = seed;
        this.windowParams = Map.copyOf(windowParams);
        this.progress = progress;
        this.log = log;
    }

    /** The methods of one protocol run through the harness: the window classifiers first, then the others. */
    HarnessResult run(String protocol, List<String> methods) throws IOException {
        Set<String> registered = Detectors.all().keySet();
        List<String> available = order(methods).stream().filter(registered::contains).toList();
        Map<String, Map<String, String>> params = new LinkedHashMap<>();
        if (!windowParams.isEmpty()) {
            available.stream().filter(WINDOW_CLASSIFIERS::contains).forEach(m -> params.put(m, windowParams));
        }
        return Harness.on(Protocols.byName(protocol)).data(data).seed(seed).methods(available).params(params)
                .probes(probes(protocol)).progress(progress).log(log).run();
    }

    /** What the report looks at on each model besides its verdicts: throughput, and validation on one protocol. */
    public static List<ModelProbe<?>> probes(String protocol) {
        return protocol.equals(VALIDATED_PROTOCOL) ? List.of(THROUGHPUT, VALIDATION) : List.of(THROUGHPUT);
    }

    private static List<String> order(List<String> methods) {
        List<String> ordered = new ArrayList<>(methods.stream().filter(WINDOW_CLASSIFIERS::contains).toList());
        methods.stream().filter(m -> !WINDOW_CLASSIFIERS.contains(m)).forEach(ordered::add);
        return ordered;
    }

    /**
     * Runs every protocol and writes the report to {@code out} and its charts beside it.
     *
     * @param command the command line the report names
     * @return the report's Markdown
     */
    public String write(List<String> methods, List<String> protocols, Path out, String command) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# ATT-GRU family: results\n\n");
        md.append("Written by `").append(command).append("` on ").append(LocalDate.now()).append(" (seed ").append(seed)
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores visible; PyTorch "
                        + "intra-op threads for training as the `threads` parameter says (default 1), scoring 1 "
                        + "PyTorch thread per Java thread). Timings were taken on a machine shared with other work "
                        + "and are pessimistic.\n\n");
        String stem = Charts.folderBeside(out);
        for (String protocol : protocols) {
            HarnessResult r = run(protocol, methods);
            Charts.write(out.resolveSibling(stem).resolve(protocol), protocol, r.results(), false);
            md.append(section(r, order(methods), stem + "/" + protocol));
        }
        AtomicFiles.write(out, md.toString().getBytes(StandardCharsets.UTF_8));
        return md.toString();
    }

    /** One protocol: its split, a row per method asked for (in the run's order), the sweep and the charts. */
    static String section(HarnessResult r, List<String> methods, String charts) {
        StringBuilder s = new StringBuilder();
        s.append("## ").append(r.protocol()).append("\n\n").append(r.description()).append(".\n\n");
        r.split().notes().forEach((k, v) -> s.append("- ").append(k).append(": ").append(v).append('\n'));
        s.append('\n');
        boolean valid = r.results().stream().anyMatch(m -> m.probe(VALIDATION).isPresent());
        s.append("| method | test P | test R | test F1 | TP | FP | FN |");
        if (valid) {
            s.append(" valid P | valid R | valid F1 |");
        }
        s.append(" train s | epochs | distinct training sessions (normal/anomalous) | test windows/s (distinct of all) |\n");
        s.append("|---|---|---|---|---|---|---|");
        if (valid) {
            s.append("---|---|---|");
        }
        s.append("---|---|---|---|\n");
        for (String method : methods) {
            MethodResult m = r.results().stream().filter(x -> x.method().equals(method)).findFirst().orElse(null);
            if (m == null) {
                s.append("| ").append(method).append(" | method not available in this build |\n");
                continue;
            }
            s.append(row(m, valid));
        }
        s.append('\n');
        s.append(thresholds(r.results()));
        List<Sequence> test = r.split().test().stream().filter(q -> q.label().isKnown()).toList();
        s.append(sharedFalsePositives(r.split().train(), test, r.split().vocabulary(), r.results()));
        s.append(Charts.markdown(charts, r.results()));
        return s.toString();
    }

    /**
     * The normal test sessions that every window classifier flags at its own threshold, and what the training
     * sessions say about their windows (of the length the classifiers were trained with): a window that training
     * holds only in anomalous sessions is one the training labels call anomalous, which any of the architectures
     * may learn. With every anomaly found, these false positives alone cap F1 at 2A / (2A + N) for a model that
     * flags them.
     *
     * @param test the scored test sessions, in the order of the results' scored tests
     */
    static String sharedFalsePositives(List<Sequence> train, List<Sequence> test, KeyVocabulary vocabulary,
                                       List<MethodResult> results) {
        List<MethodResult> classifiers = results.stream().filter(m -> WINDOW_CLASSIFIERS.contains(m.method())
                && m.test().size() == test.size()).toList();
        if (classifiers.size() < 2) {
            return "";
        }
        List<Integer> shared = new ArrayList<>();
        int normals = 0;
        int anomalies = 0;
        for (int i = 0; i < test.size(); i++) {
            if (classifiers.get(0).test().isAnomalous(i)) {
                anomalies++;
                continue;
            }
            normals++;
            final int at = i;
            if (classifiers.stream().allMatch(m -> m.test().flagged(at))) {
                shared.add(i);
            }
        }
        Object w0 = classifiers.get(0).parameters().get("window");
        int length = w0 == null ? WindowClassifierTrainer.DEFAULT_WINDOW : Integer.parseInt(String.valueOf(w0));
        SessionWindows windows = new SessionWindows(vocabulary, length, -1, EventAttributes.none());
        Set<SessionWindows.Key> inNormal = new HashSet<>();
        Set<SessionWindows.Key> inAnomalous = new HashSet<>();
        for (Sequence q : train) {
            Set<SessionWindows.Key> into = q.label() == Label.ANOMALOUS ? inAnomalous
                    : q.label() == Label.NORMAL ? inNormal : null;
            if (into != null) {
                windows.windows(q).forEach(w -> into.add(new SessionWindows.Key(w)));
            }
        }
        int anomalousOnly = 0;
        int unseen = 0;
        Set<String> distinct = new HashSet<>();
        for (int i : shared) {
            distinct.add(java.util.Arrays.toString(test.get(i).keys()));
            boolean a = false;
            boolean u = false;
            for (int[] w : windows.windows(test.get(i))) {
                SessionWindows.Key k = new SessionWindows.Key(w);
                if (!inNormal.contains(k)) {
                    if (inAnomalous.contains(k)) {
                        a = true;
                    } else {
                        u = true;
                    }
                }
            }
            anomalousOnly += a ? 1 : 0;
            unseen += u && !a ? 1 : 0;
        }
        double cap = anomalies == 0 ? Double.NaN : 2.0 * anomalies / (2.0 * anomalies + shared.size());
        return String.format(Locale.ROOT, "False positives every window classifier shares (%s, each at its own "
                        + "threshold): %,d of the %,d normal test sessions (%,d distinct key sequences). %,d of them "
                        + "hold a window of %d events that the training sessions hold only in anomalous sessions, "
                        + "%,d more a window training never saw. With all %,d anomalies found, these alone cap F1 at "
                        + "%.4f.%n%n", String.join(", ", classifiers.stream().map(MethodResult::method).toList()),
                shared.size(), normals, distinct.size(), anomalousOnly, length, unseen, anomalies, cap);
    }

    /** One method's row; the result must carry the {@link #probes} findings. */
    public static String row(MethodResult m, boolean validationColumns) {
        StringBuilder s = new StringBuilder();
        ConfusionMatrix t = m.confusion();
        s.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %d | %d | %d |", m.method(), t.precision(),
                t.recall(), t.f1(), t.tp(), t.fp(), t.fn()));
        if (validationColumns) {
            ConfusionMatrix v = m.probe(VALIDATION).orElse(null);
            s.append(v == null ? " | | |" : String.format(Locale.ROOT, " %.4f | %.4f | %.4f |", v.precision(),
                    v.recall(), v.f1()));
        }
        Object epochs = m.training().getOrDefault("epochs", "");
        Object nw = m.training().get("distinctNormalSessions");
        Object aw = m.training().get("distinctAnomalousSessions");
        WarmThroughput.Throughput w = m.probe(THROUGHPUT).orElseThrow();
        s.append(String.format(Locale.ROOT, " %.1f | %s | %s | %,.0f (%,d of %,d) |\n", m.fitSeconds(), epochs,
                nw == null ? "" : nw + " / " + aw, w.windowsPerSecond(), w.distinctWindows(), w.windows()));
        return s.toString();
    }

    /**
     * Other decision thresholds on the same trained models (test scored once). A model trained on balanced classes
     * puts its 0.5 where anomalies are as likely as not in training; where they are rarer (the 49:1 HDFS test) the
     * threshold with the same meaning is higher (odds 49: 0.98), which the sweep shows next to the ranking
     * quality (ROC AUC), which no threshold changes.
     */
    static String thresholds(List<MethodResult> results) {
        List<MethodResult> scored = results.stream()
                .filter(m -> m.roc() != null && WINDOW_CLASSIFIERS.contains(m.method())).toList();
        if (scored.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        s.append("Decision thresholds on the same trained models (test scored once; a session is anomalous when its "
                + "probability >= t; cells: F1 (FP / FN)):\n\n");
        s.append("| method | ROC AUC |");
        for (double t : SWEEP) {
            s.append(String.format(Locale.ROOT, " t = %s |", t));
        }
        s.append("\n|---|---:|");
        s.append("---:|".repeat(SWEEP.length)).append('\n');
        for (MethodResult m : scored) {
            s.append(String.format(Locale.ROOT, "| %s | %.4f |", m.method(), m.auc()));
            for (ThresholdSweep.Point p : ThresholdSweep.of(m.test(), SWEEP).points()) {
                ConfusionMatrix c = p.matrix();
                s.append(String.format(Locale.ROOT, " %.4f (%d / %d) |", c.f1(), c.fp(), c.fn()));
            }
            s.append('\n');
        }
        s.append('\n');
        return s.toString();
    }
}
