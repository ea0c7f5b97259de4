package io.anomalog.bench.deeplog;

import io.anomalog.bench.harness.Harness;
import io.anomalog.bench.harness.HarnessResult;
import io.anomalog.bench.harness.MethodResult;
import io.anomalog.bench.harness.Projection;
import io.anomalog.bench.harness.SeedSpread;
import io.anomalog.bench.protocol.RawLogProtocol;
import io.anomalog.bench.report.Charts;
import io.anomalog.bench.report.Figures;
import io.anomalog.core.data.DataDir;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.protocol.Protocol;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.util.Progress;
import io.anomalog.core.util.Version;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The report of {@code anomalog bench deeplog}: DeepLog trained and tested by the harness under each protocol
 * (and on a labelled raw log, from text), one headline row per run, and per protocol the split, the
 * {@link DecisionRules} on the same model, the spread over model seeds when asked for, and the charts. The
 * report is one Markdown file; its charts go into a folder of the same name beside it, one subfolder per
 * protocol ({@code docs/results/deeplog.md} -> {@code docs/results/deeplog/hdfs-deeplog/roc.png}).
 */
public final class DeepLogReport {

    static final String METHOD = "deeplog";
    static final DecisionRules RULES = new DecisionRules();
    /** Chart subfolder of the raw-text run. */
    static final String RAW_TEXT_FOLDER = "raw-text";

    private final DataDir data;
    private final long seed;
    private final Map<String, String> params;
    private final List<Long> modelSeeds;
    private final Progress progress;
    private final Consumer<String> log;

    /**
     * @param data       dataset folder of the protocols
     * @param seed       split seed
     * @param params     DeepLog hyper-parameters given by the user (over the protocols' suggested ones)
     * @param modelSeeds model seeds for the spread; empty for none
     */
    public DeepLogReport(DataDir data, long seed, Map<String, String> params, List<Long> modelSeeds,
                         Progress progress, Consumer<String> log) {
        this.data = data;
        this.seed = seed;
        this.params = Map.copyOf(params);
        this.modelSeeds = List.copyOf(modelSeeds);
        this.progress = progress;
        this.log = log;
    }

    /** A run of DeepLog through the harness on one protocol. */
    HarnessResult run(Protocol protocol, boolean withModelSeeds) throws IOException {
        log.accept("anomalog: protocol " + protocol.name());
        HarnessResult r = Harness.on(protocol).data(data).seed(seed).methods(List.of(METHOD))
                .params(params.isEmpty() ? Map.of() : Map.of(METHOD, params))
                .modelSeeds(withModelSeeds ? modelSeeds : List.of()).probes(List.of(RULES))
                .progress(progress).log(log).run();
        log.accept(Figures.text(r.results().get(0)).stripTrailing());
        return r;
    }

    /**
     * Runs every protocol, then the raw log when given, and writes the report to {@code out} and its charts
     * beside it.
     *
     * @param command the command line the report names
     * @return the report's Markdown
     */
    public String write(List<Protocol> protocols, RawLogProtocol rawText, Path out, String command)
            throws IOException {
        List<HarnessResult> runs = new ArrayList<>();
        for (Protocol p : protocols) {
            runs.add(run(p, true));
        }
        HarnessResult raw = rawText == null ? null : run(rawText, false);
        String stem = Charts.folderBeside(out);
        for (HarnessResult r : runs) {
            Charts.write(out.resolveSibling(stem).resolve(r.protocol()), r.protocol(), r.results(), false);
        }
        if (raw != null) {
            Charts.write(out.resolveSibling(stem).resolve(RAW_TEXT_FOLDER), raw.protocol(), raw.results(), false);
        }
        String md = markdown(runs, raw, stem, command);
        AtomicFiles.write(out, md.getBytes(StandardCharsets.UTF_8));
        return md;
    }

    static String markdown(List<HarnessResult> runs, HarnessResult raw, String chartFolder, String command) {
        StringBuilder md = new StringBuilder();
        md.append("# DeepLog: results under the evaluation protocols\n\n");
        md.append("Written by `").append(command).append("` on ").append(Instant.now().toString(), 0, 10)
                .append(" (anomalog ").append(Version.current()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores; timings are wall-clock on a ")
                .append("machine that may be shared, so they are pessimistic). Each protocol trains a fresh model ")
                .append("with the default hyper-parameters (plus the protocol's suggested ones) and scores its test set.\n\n");
        md.append("| protocol | TP | FP | TN | FN | precision | recall | F1 | accuracy | FPR | ROC AUC | train s | detect s |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder details = new StringBuilder();
        for (HarnessResult r : runs) {
            MethodResult m = r.results().get(0);
            md.append(headlineRow(r.protocol(), m));
            details.append(section(r, chartFolder + "/" + r.protocol()));
        }
        if (raw != null) {
            MethodResult m = raw.results().get(0);
            ConfusionMatrix cm = m.confusion();
            md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %.4f | %.4f | %.4f | %.4f | %.5f | %.4f | %.1f (all) | |%n",
                    raw.protocol(), cm.tp(), cm.fp(), cm.tn(), cm.fn(), cm.precision(), cm.recall(), cm.f1(),
                    cm.accuracy(), cm.fpr(), m.auc(), raw.loadSeconds() + m.fitSeconds() + m.predictSeconds()));
            details.append(rawSection(raw, chartFolder + "/" + RAW_TEXT_FOLDER));
        }
        md.append('\n').append(details);
        md.append("The DeepLog paper (Du et al., CCS 2017) reports on HDFS 833 false positives among 553,366 normal ")
                .append("sessions (FPR 0.15%) and 619 false negatives among 16,838 anomalous ones (recall 0.963), F1 0.96; ")
                .append("its normal test file is not public, hence the projection above.\n");
        return md.toString();
    }

    /** The headline table's row of one run. */
    public static String headlineRow(String protocol, MethodResult m) {
        ConfusionMatrix cm = m.confusion();
        return String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %.4f | %.4f | %.4f | %.4f | %.5f | %.4f | %.1f | %.1f |%n",
                protocol, cm.tp(), cm.fp(), cm.tn(), cm.fn(), cm.precision(), cm.recall(), cm.f1(), cm.accuracy(),
                cm.fpr(), m.auc(), m.fitSeconds(), m.predictSeconds());
    }

    private static String section(HarnessResult r, String charts) {
        MethodResult m = r.results().get(0);
        StringBuilder s = new StringBuilder();
        s.append("## ").append(r.protocol()).append("\n\n").append(r.description()).append(".\n\n");
        r.split().notes().forEach((k, v) -> s.append("- ").append(k).append(": ").append(v).append('\n'));
        s.append("- hyper-parameters: ").append(m.parameters()).append('\n');
        s.append(String.format(Locale.ROOT, "- detection: %,d test sequences in %.2f s (%,.0f/s)%n",
                m.test().size(), m.predictSeconds(), m.test().size() / Math.max(m.predictSeconds(), 1e-9)));
        Projection p = m.projection();
        if (p != null) {
            s.append(String.format(Locale.ROOT,
                    "- projected to the original test mix of %,d normal sessions (false positives = measured FPR x %,d): "
                            + "FP %,.0f, precision %.4f, recall %.4f, F1 %.4f%n",
                    p.normals(), p.normals(), p.fp(), p.precision(), p.recall(), p.f1()));
        }
        s.append('\n');
        m.probe(RULES).ifPresent(rules -> s.append(rulesTable(m, rules, r.split().projectedNormals())));
        List<HarnessResult.SeedRun> seedRuns = r.seedRuns(m.method());
        if (!seedRuns.isEmpty()) {
            s.append(seedSpread(seedRuns, String.valueOf(m.parameters().get("topG")),
                    r.split().projectedNormals() > 0));
        }
        s.append(Charts.markdown(charts, r.results()));
        return s.toString();
    }

    private static String rawSection(HarnessResult raw, String charts) {
        Map<String, Object> n = raw.split().notes();
        return "## raw text: " + n.get("log") + "\n\n"
                + String.format(Locale.ROOT, "From raw lines: %,d lines (format %s) grouped by block id "
                                + "(`%s`), labels from %s. The normal blocks are split in half with the seed; Drain learns "
                                + "templates from the lines of the %,d training blocks only (%,d templates), every line is then "
                                + "matched against them (%,d lines fit none and get an unknown key), and DeepLog trains on the "
                                + "training blocks and judges the other %,d normal and %,d anomalous blocks. A small sample: one "
                                + "block moves the rates by several points.%n%n",
                        n.get("lines"), n.get("format"), n.get("sessionId"), n.get("labels"), n.get("trainSessions"),
                        n.get("learnedTemplates"), n.get("unmatchedLines"), n.get("testNormal"), n.get("testAnomalous"))
                + Charts.markdown(charts, raw.results());
    }

    /** The decision-rule table of one model, with its fit and calibration from the training summary. */
    static String rulesTable(MethodResult m, List<DecisionRules.Rule> rules, long projectedNormals) {
        StringBuilder md = new StringBuilder();
        Map<String, Object> metrics = m.metrics();
        Map<String, Object> tr = m.training();
        if (metrics.containsKey("trainTop1AccuracyCeiling")) {
            md.append(String.format(Locale.ROOT, "Fit (best epoch %s of %s, %s training windows, %s distinct): "
                            + "training loss %.4f (lowest possible %.4f), top-1 accuracy on training windows %.4f "
                            + "(highest possible %.4f), validation loss %s.%n%n",
                    tr.get("bestEpoch"), tr.get("epochsRun"), tr.get("trainingWindows"), tr.get("distinctTrainingWindows"),
                    num(metrics.get("trainLossOfBestEpoch")), num(metrics.get("trainLossFloor")),
                    num(metrics.get("trainTop1Accuracy")), num(metrics.get("trainTop1AccuracyCeiling")),
                    metrics.containsKey("validationLoss")
                            ? String.format(Locale.ROOT, "%.4f", num(metrics.get("validationLoss"))) : "n/a"));
        }
        boolean projected = projectedNormals > 0;
        md.append("Decision rules on the same trained model (test sessions scored once; \"validation\" is the share ")
                .append("of held-out normal training sessions the rule flags, the only data a calibrated rule may look at")
                .append(projected ? "; projected FP = FPR x " + String.format(Locale.ROOT, "%,d", projectedNormals) : "")
                .append("):\n\n");
        md.append("| rule | validation | TP | FP | TN | FN | precision | recall | F1 | FPR |")
                .append(projected ? " projected FP | projected F1 |" : "").append('\n');
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|").append(projected ? "---:|---:|" : "").append('\n');
        for (DecisionRules.Rule rule : rules) {
            ConfusionMatrix cm = rule.matrix();
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d | %.4f | %.4f | %.4f | %.5f |",
                    rule.name(), Double.isNaN(rule.validationShare()) ? "" : share(rule.validationShare()), cm.tp(),
                    cm.fp(), cm.tn(), cm.fn(), cm.precision(), cm.recall(), cm.f1(), cm.fpr()));
            if (projected) {
                Projection p = Projection.of(cm, projectedNormals);
                md.append(String.format(Locale.ROOT, " %,.0f | %.4f |", p.fp(), p.f1()));
            }
            md.append('\n');
        }
        Map<String, Object> cal = DecisionRules.calibration(tr);
        if (cal != null) {
            md.append(String.format(Locale.ROOT, "%nCalibration used %s held-out normal sessions (rule of this model: %s).%n",
                    cal.get("validationSessions"), cal.get("ruleUsed")));
        }
        return md.append('\n').toString();
    }

    /** The figures over the model seeds, with their mean, lowest and highest values. */
    static String seedSpread(List<HarnessResult.SeedRun> runs, String rule, boolean projected) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Spread over model seeds (rule of the models: top-%s; each seed changes the "
                + "initialisation, the shuffling and the held-out validation sessions):%n%n", rule));
        b.append("| model seed | TP | FP | TN | FN | precision | recall | F1 | FPR |")
                .append(projected ? " projected F1 |" : "").append(" train s |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|").append(projected ? "---:|" : "").append("---:|\n");
        for (HarnessResult.SeedRun r : runs) {
            ConfusionMatrix m = r.result().confusion();
            b.append(String.format(Locale.ROOT, "| %d | %,d | %,d | %,d | %,d | %.4f | %.4f | %.4f | %.5f |",
                    r.seed(), m.tp(), m.fp(), m.tn(), m.fn(), m.precision(), m.recall(), m.f1(), m.fpr()));
            if (projected) {
                b.append(String.format(Locale.ROOT, " %.4f |", r.result().projectedF1()));
            }
            b.append(String.format(Locale.ROOT, " %.1f |%n", r.result().fitSeconds()));
        }
        SeedSpread spread = SeedSpread.overModelSeeds(runs);
        List<SeedSpread.Spread> figures = new ArrayList<>(List.of(spread.precision(), spread.recall(), spread.f1(),
                spread.fpr()));
        if (projected) {
            figures.add(spread.projectedF1());
        }
        String[] names = {"mean", "lowest", "highest"};
        List<ToDoubleFunction<SeedSpread.Spread>> stats = List.of(SeedSpread.Spread::mean, SeedSpread.Spread::min,
                SeedSpread.Spread::max);
        for (int i = 0; i < 3; i++) {
            b.append("| ").append(names[i]).append(" | | | | |");
            for (int f = 0; f < figures.size(); f++) {
                b.append(String.format(Locale.ROOT, f == 3 ? " %.5f |" : " %.4f |", stats.get(i).applyAsDouble(figures.get(f))));
            }
            b.append(String.format(Locale.ROOT, " %.1f |%n", stats.get(i).applyAsDouble(spread.fitSeconds())));
        }
        return b.append('\n').toString();
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static String share(double v) {
        return String.format(Locale.ROOT, "%.2f%%", v * 100);
    }
}
