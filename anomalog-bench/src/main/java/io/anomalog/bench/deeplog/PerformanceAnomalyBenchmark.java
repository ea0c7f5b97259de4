package io.anomalog.bench.deeplog;

import io.anomalog.bench.protocol.RawLogProtocol;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.deeplog.DeepLogModels;
import io.anomalog.ml.deeplog.DeepLogProvider;
import io.anomalog.ml.deeplog.parameter.Gaussian;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Protocol {@code hdfs-performance}: a simulated HDFS datanode log with labelled performance anomalies (delays,
 * abnormal sizes, stretched pipelines) besides ordinary anomalous key sequences, read as raw text through the
 * {@link RawLogProtocol} (templates from the training half's lines only, sessions by block id, the normal sessions
 * split in half with the seed). DeepLog trains on the training half with its parameter models; the test sessions
 * are judged by the key model alone and by key plus parameter models, and the report gives the recall per kind
 * of anomaly and the false-positive rate on the normal test sessions for both.
 */
public final class PerformanceAnomalyBenchmark {

    /** The protocol's name in reports. */
    public static final String PROTOCOL = "hdfs-performance";

    /** Confidences the report also judges at, with the same trained models. */
    static final double[] CONFIDENCES = {0.999, 0.9999, 0.99999};

    private PerformanceAnomalyBenchmark() {
    }

    /** The figures of one detector on the test sessions. */
    public record Figures(Map<String, long[]> flaggedByKind, long normal, long falsePositives) {
        double recall(String kind) {
            long[] f = flaggedByKind.get(kind);
            return f == null || f[1] == 0 ? Double.NaN : (double) f[0] / f[1];
        }

        double fpRate() {
            return normal == 0 ? Double.NaN : (double) falsePositives / normal;
        }
    }

    /**
     * Runs the protocol on a simulation folder ({@code hadoop1/hdfs.log}, {@code labels.csv},
     * {@code anomalies.csv}) and writes the report.
     *
     * @param command the command line that produced it, for the report's header
     * @param settings what the simulation was (rates, sessions, seed), for the report
     */
    public static String write(Path simulation, String command, Map<String, Object> settings,
                               Map<String, String> userParams, long seed, Path out, Progress progress)
            throws IOException {
        Map<String, Label> labels = new TreeMap<>();
        for (String row : Files.readAllLines(simulation.resolve("labels.csv"), StandardCharsets.UTF_8).subList(1,
                Files.readAllLines(simulation.resolve("labels.csv")).size())) {
            String[] f = row.split(",");
            labels.put(f[1], "Anomaly".equals(f[2]) ? Label.ANOMALOUS : Label.NORMAL);
        }
        Map<String, String> kinds = new TreeMap<>();
        Path kindsFile = simulation.resolve("anomalies.csv");
        if (!Files.exists(kindsFile)) {
            throw new AnomalogException(kindsFile + " is missing: the simulation planted no performance anomalies");
        }
        List<String> rows = Files.readAllLines(kindsFile, StandardCharsets.UTF_8);
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            kinds.put(f[1], f[2]);
        }
        Path log = simulation.resolve("hadoop1").resolve("hdfs.log");
        RawLogProtocol protocol = new RawLogProtocol(log, LogFormats.byName("hdfs"), "blk_-?\\d+", labels,
                "labels.csv of the simulation");
        Split split = protocol.load(null, seed);
        Map<String, String> p = withSeed(userParams, seed);
        Trained trained = train(split, p, progress, log.toString());
        double trainSeconds = trained.seconds();
        try (DeepLogModels both = trained.models()) {
            List<Sequence> test = split.test();
            Figures keys = figures(test, both.keyModel().scoreAll(test), kinds);
            Map<Double, Figures> byConfidence = new LinkedHashMap<>();
            byConfidence.put(both.parameterModel().confidence(), figures(test, both.scoreAll(test), kinds));
            for (double c : CONFIDENCES) {
                if (!byConfidence.containsKey(c)) {
                    try (var other = both.parameterModel().withConfidence(c)) {
                        byConfidence.put(c, figures(test, both.withParameterModel(other).scoreAll(test), kinds));
                    }
                }
            }
            String report = report(command, settings, split, p, trainSeconds, both, keys, byConfidence);
            Files.createDirectories(out.toAbsolutePath().getParent());
            AtomicFiles.write(out, report.getBytes(StandardCharsets.UTF_8));
            return report;
        }
    }

    /** DeepLog with its parameter models, trained on a split's training sessions, and how long that took. */
    record Trained(DeepLogModels models, double seconds) {
    }

    static Map<String, String> withSeed(Map<String, String> userParams, long seed) {
        Map<String, String> p = new LinkedHashMap<>(userParams);
        p.putIfAbsent("seed", String.valueOf(seed));
        return p;
    }

    /** Trains key and parameter models on the split's training sessions; {@code what} names the data in errors. */
    static Trained train(Split split, Map<String, String> params, Progress progress, String what) {
        long start = System.nanoTime();
        Detector detector = new DeepLogProvider().trainer(new Params(params)).fit(split.train(),
                KeyVocabulary.of(split.train()), progress);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!(detector instanceof DeepLogModels both)) {
            detector.close();
            throw new AnomalogException("deeplog trained no parameter models on " + what);
        }
        return new Trained(both, seconds);
    }

    static Figures figures(List<Sequence> test, List<Verdict> verdicts, Map<String, String> kinds) {
        Map<String, long[]> byKind = new TreeMap<>();
        long normal = 0;
        long fp = 0;
        for (int i = 0; i < test.size(); i++) {
            Sequence s = test.get(i);
            boolean flagged = verdicts.get(i).anomalous();
            if (s.label() == Label.NORMAL) {
                normal++;
                fp += flagged ? 1 : 0;
            } else {
                long[] f = byKind.computeIfAbsent(kinds.getOrDefault(s.id(), "sequence"), k -> new long[2]);
                f[0] += flagged ? 1 : 0;
                f[1]++;
            }
        }
        return new Figures(byKind, normal, fp);
    }

    private static String report(String command, Map<String, Object> settings, Split split, Map<String, String> params,
                                 double trainSeconds, DeepLogModels both, Figures keys,
                                 Map<Double, Figures> byConfidence) {
        Figures all = byConfidence.values().iterator().next();
        StringBuilder b = new StringBuilder();
        b.append("# DeepLog parameter-value models on injected performance anomalies (`").append(PROTOCOL)
                .append("`)\n\n");
        b.append("Written by `").append(command).append("` on ").append(LocalDate.now(ZoneOffset.UTC))
                .append(" (").append(Runtime.getRuntime().availableProcessors()).append(" cores).\n\n");
        b.append("The simulation (`anomalog simulate hdfs`): ");
        settings.forEach((k, v) -> b.append('`').append(k).append('=').append(v).append("` "));
        Map<String, Object> notes = new LinkedHashMap<>(split.notes());
        notes.put("log", "hadoop1/hdfs.log of the simulation (a temporary folder)");
        b.append("\n\nRead as raw text by the raw-log protocol: ").append(notes).append(".\n\n");
        List<Double> cs = new ArrayList<>(byConfidence.keySet());
        b.append("| anomaly kind | test sessions | key model alone |");
        for (int i = 0; i < cs.size(); i++) {
            b.append(String.format(Locale.ROOT, " key + parameter models, confidence %s%s |", cs.get(i),
                    i == 0 ? " (trained)" : ""));
        }
        b.append("\n|---|---:|---:|").append("---:|".repeat(cs.size())).append('\n');
        for (String kind : all.flaggedByKind().keySet()) {
            b.append(String.format(Locale.ROOT, "| recall: %s | %,d | %.3f |", kind, all.flaggedByKind().get(kind)[1],
                    keys.recall(kind)));
            for (double c : cs) {
                b.append(String.format(Locale.ROOT, " %.3f |", byConfidence.get(c).recall(kind)));
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "| **false-positive rate** (normal sessions flagged) | %,d | %.4f (%d) |",
                all.normal(), keys.fpRate(), keys.falsePositives()));
        for (double c : cs) {
            Figures f = byConfidence.get(c);
            b.append(String.format(Locale.ROOT, " %.4f (%d) |", f.fpRate(), f.falsePositives()));
        }
        b.append("\n\n");
        Map<String, Object> pm = both.parameterModel().summary();
        b.append(String.format(Locale.ROOT, "Training: %,d normal sessions, %.1f s for both models (wall clock, "
                + "shared machine). ", split.train().size(), trainSeconds));
        b.append("Parameter models by kind of key model: ").append(pm.get("kinds")).append("; confidence ")
                .append(pm.get("confidence")).append(String.format(Locale.ROOT, " (z = %.4f) when trained; the "
                        + "other columns judge with the same models at another confidence. ",
                        Gaussian.z(both.parameterModel().confidence())));
        b.append("Hyper-parameters given: ").append(params).append(" (the rest at their defaults).\n\n");
        b.append("Recall of a kind is the share of its test sessions flagged; every anomalous session is in the "
                + "test set. The key model alone misses what leaves the key order intact; the `sequence` kind is "
                + "the simulator's ordinary anomalous key sequences.\n");
        return b.toString();
    }
}
