package io.anomalog.bench.deeplog;

import io.anomalog.bench.deeplog.PerformanceAnomalyBenchmark.Figures;
import io.anomalog.bench.protocol.HadoopContainers;
import io.anomalog.core.data.DataDir;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.deeplog.DeepLogModels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Protocol {@code hadoop-containers} ({@link HadoopContainers}): DeepLog trained with its parameter models on half
 * the normal containers of loghub's Hadoop logs, at the defaults a user gets; the other containers judged by the
 * key model alone and by key plus parameter models, with recall per failure kind, the false-positive rate on the
 * normal test containers, precision and F1.
 */
public final class HadoopBenchmark {

    private HadoopBenchmark() {
    }

    public static String write(DataDir data, String command, Map<String, String> userParams, long seed, Path out,
                               Progress progress) throws IOException {
        HadoopContainers protocol = new HadoopContainers();
        Split split = protocol.load(data, seed);
        Map<String, String> p = PerformanceAnomalyBenchmark.withSeed(userParams, seed);
        PerformanceAnomalyBenchmark.Trained trained = PerformanceAnomalyBenchmark.train(split, p, progress,
                "the Hadoop containers");
        double trainSeconds = trained.seconds();
        try (DeepLogModels both = trained.models()) {
            List<Sequence> test = split.test();
            Figures keys = PerformanceAnomalyBenchmark.figures(test, both.keyModel().scoreAll(test), protocol.kinds());
            Figures all = PerformanceAnomalyBenchmark.figures(test, both.scoreAll(test), protocol.kinds());
            String report = report(command, split, p, trainSeconds, both, keys, all);
            Files.createDirectories(out.toAbsolutePath().getParent());
            AtomicFiles.write(out, report.getBytes(StandardCharsets.UTF_8));
            return report;
        }
    }

    /** How many keys each kind of parameter model serves, from the summary's kind -> keys map. */
    static Map<String, Integer> keysPerKind(Object kinds) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        if (kinds instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v instanceof java.util.Collection<?> c ? c.size() : 0));
        }
        return out;
    }

    /** Precision and F1 over the anomalous kinds together: {precision, recall, F1}. */
    static double[] overall(Figures f) {
        long tp = 0;
        long pos = 0;
        for (long[] k : f.flaggedByKind().values()) {
            tp += k[0];
            pos += k[1];
        }
        double precision = tp + f.falsePositives() == 0 ? Double.NaN : (double) tp / (tp + f.falsePositives());
        double recall = pos == 0 ? Double.NaN : (double) tp / pos;
        return new double[]{precision, recall, 2 * precision * recall / (precision + recall)};
    }

    private static String report(String command, Split split, Map<String, String> params, double trainSeconds,
                                 DeepLogModels both, Figures keys, Figures all) {
        StringBuilder b = new StringBuilder();
        b.append("# DeepLog on real Hadoop container logs (`").append(HadoopContainers.NAME).append("`)\n\n");
        b.append("Written by `").append(command).append("` on ").append(LocalDate.now(ZoneOffset.UTC))
                .append(" (").append(Runtime.getRuntime().availableProcessors()).append(" cores).\n\n");
        b.append("loghub's Hadoop logs (WordCount and PageRank runs with injected failures): one session per "
                + "container log, labelled by its application's kind; DeepLog (key model and parameter models, "
                + "defaults) trained on a seeded half of the normal containers, with templates learned from their "
                + "lines only. Split: ").append(split.notes()).append(".\n\n");
        b.append("| figure | test containers | key model alone | key + parameter models |\n|---|---:|---:|---:|\n");
        for (String kind : all.flaggedByKind().keySet()) {
            b.append(String.format(Locale.ROOT, "| recall: %s | %,d | %.3f | %.3f |\n", kind,
                    all.flaggedByKind().get(kind)[1], keys.recall(kind), all.recall(kind)));
        }
        b.append(String.format(Locale.ROOT, "| **false-positive rate** (normal containers flagged) | %,d | %.3f (%d) "
                + "| %.3f (%d) |\n", all.normal(), keys.fpRate(), keys.falsePositives(), all.fpRate(),
                all.falsePositives()));
        double[] k = overall(keys);
        double[] a = overall(all);
        b.append(String.format(Locale.ROOT, "| precision | | %.3f | %.3f |\n| recall, every failure kind | | %.3f | "
                + "%.3f |\n| F1 | | %.3f | %.3f |\n\n", k[0], a[0], k[1], a[1], k[2], a[2]));
        b.append(String.format(Locale.ROOT, "Training: %,d normal containers, %.1f s for both models (wall clock). ",
                split.train().size(), trainSeconds));
        b.append("Parameter models, keys per kind: ").append(keysPerKind(both.parameterModel().summary().get("kinds")))
                .append(". Hyper-parameters given: ").append(params).append(" (the rest at their defaults).\n\n");
        b.append("How to read it: the labels are per application, so every container of a failed application "
                + "counts as anomalous, also those on machines the failure did not touch; and there are few normal "
                + "applications, so the normal containers are few (see the split), half of them train the model, "
                + "and each false positive moves the rate by a large step. Precision depends on the share of "
                + "failed containers in the test set, which is far above what a cluster would see.\n");
        return b.toString();
    }
}
