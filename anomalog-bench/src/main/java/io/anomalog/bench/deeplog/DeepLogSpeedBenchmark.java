package io.anomalog.bench.deeplog;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.eval.protocol.HdfsDeepLogProtocol;
import io.anomalog.core.eval.protocol.Protocols;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Folders;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of {@code anomalog bench deeplog-speed}: how long DeepLog takes to train on HDFS
 * ({@code hdfs_train}) and how many sessions per second it judges on a test mix the size of DeepLog's original
 * HDFS test (16,838 anomalous + 553,366 normal sessions; the normal ones cycle through the 7,000 public normal
 * sessions). A speed measurement, not an evaluation: the mix repeats sessions, so it reports no accuracy.
 */
public final class DeepLogSpeedBenchmark {

    private DeepLogSpeedBenchmark() {
    }

    /**
     * Trains, saves, loads and times detection, then writes the report to {@code out}.
     *
     * @param sessions sessions in the detection mix
     * @param batch    sessions handed to the detector per call
     * @return the report's Markdown
     */
    public static String write(DataDir data, int sessions, int batch, Path out, Progress progress)
            throws IOException {
        Split split = Protocols.byName(HdfsDeepLogProtocol.NAME).load(data, 42);
        List<Sequence> training = split.train();
        Path modelDir = Files.createTempDirectory("anomalog-deeplog-speed");
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        // trained like every harness run, through the split, with the default parameters
        try (Detector d = split.trainer(Detectors.provider(DeepLogReport.METHOD), Map.of(), data)
                .fit(training, split.vocabulary(), progress)) {
            d.save(modelDir);
        }
        double trainSecs = (System.nanoTime() - t0) / 1e9;
        double trainCpuSecs = (processCpuNanos() - cpu0) / 1e9;
        Map<String, Object> trainingSummary = ModelManifest.read(modelDir).training();
        Map<String, Object> hyper = ModelManifest.read(modelDir).hyperParameters();

        List<Sequence> abnormal = split.test().stream().filter(s -> s.label() == Label.ANOMALOUS).toList();
        List<Sequence> normal = split.test().stream().filter(s -> s.label() == Label.NORMAL).toList();
        List<Sequence> mix = new ArrayList<>(sessions);
        for (int i = 0; i < sessions; i++) {
            mix.add(i < abnormal.size() ? abnormal.get(i) : normal.get((i - abnormal.size()) % normal.size()));
        }
        long flagged = 0;
        double detectSecs;
        double detectCpuSecs;
        try (Detector d = Detectors.load(modelDir)) {
            long t1 = System.nanoTime();
            cpu0 = processCpuNanos();
            for (int from = 0; from < mix.size(); from += batch) {
                for (Verdict v : d.scoreAll(mix.subList(from, Math.min(mix.size(), from + batch)))) {
                    if (v.anomalous()) {
                        flagged++;
                    }
                }
            }
            detectSecs = (System.nanoTime() - t1) / 1e9;
            detectCpuSecs = (processCpuNanos() - cpu0) / 1e9;
        }
        Folders.deleteTree(modelDir);

        String md = "# DeepLog: speed on HDFS\n\n"
                + "Written by `anomalog bench deeplog-speed` on " + Instant.now().toString().substring(0, 10) + " ("
                + Runtime.getRuntime().availableProcessors() + " cores, shared with other work while measured: "
                + "the wall-clock figures are pessimistic; the process CPU time is what the work itself cost). One JVM, "
                + "one PyTorch thread for scoring and for training (the default `threads=1`).\n\n"
                + "| what | figure |\n|---|---:|\n"
                + String.format(Locale.ROOT, "| training on hdfs_train (%,d sessions, %s windows, %s distinct), seconds | %.1f |%n",
                training.size(), trainingSummary.get("trainingWindows"), trainingSummary.get("distinctTrainingWindows"), trainSecs)
                + String.format(Locale.ROOT, "| training, process CPU seconds (all threads, JVM included) | %.1f |%n", trainCpuSecs)
                + String.format(Locale.ROOT, "| training, PyTorch intra-op threads | %s |%n", hyper.get("threads"))
                + String.format(Locale.ROOT, "| epochs run (early stopping), best epoch | %s, %s |%n", trainingSummary.get("epochsRun"), trainingSummary.get("bestEpoch"))
                + String.format(Locale.ROOT, "| detection mix: sessions (16,838 anomalous + normal) | %,d |%n", mix.size())
                + String.format(Locale.ROOT, "| detection, seconds (cold cache, batches of %,d sessions) | %.1f |%n", batch, detectSecs)
                + String.format(Locale.ROOT, "| detection, process CPU seconds | %.1f |%n", detectCpuSecs)
                + String.format(Locale.ROOT, "| detection, sessions per second | %,.0f |%n", mix.size() / detectSecs)
                + String.format(Locale.ROOT, "| sessions flagged | %,d |%n", flagged)
                + "\nDetection computes the next-key distribution once per distinct history of h keys (HDFS repeats "
                + "the same histories massively) and batches the distinct histories of each call into one forward "
                + "pass; the public Python reference runs one forward pass per window.\n";
        AtomicFiles.write(out, md.getBytes(StandardCharsets.UTF_8));
        return md;
    }

    /** CPU time of this process (all threads, native ones included), so timings on a shared machine can be read. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
