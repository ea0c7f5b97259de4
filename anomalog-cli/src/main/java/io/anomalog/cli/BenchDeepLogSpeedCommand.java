package io.anomalog.cli;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.eval.protocol.HdfsDeepLogProtocol;
import io.anomalog.core.eval.protocol.Protocols;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.ProgressBar;
import io.anomalog.ml.deeplog.DeepLogProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code anomalog bench deeplog-speed}: how long DeepLog takes to train on HDFS ({@code hdfs_train}) and how
 * many sessions per second it judges on a test mix the size of DeepLog's original HDFS test (16,838 anomalous +
 * 553,366 normal sessions; the normal ones cycle through the 7,000 public normal sessions). Writes
 * {@code docs/results/deeplog-speed.md}.
 */
@Command(name = "deeplog-speed", mixinStandardHelpOptions = true,
        description = "Times DeepLog training on hdfs_train and detection on a 570k-session HDFS mix; writes docs/results/deeplog-speed.md.")
final class BenchDeepLogSpeedCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = DataDir.DEFAULT,
            description = "Public datasets folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--sessions", defaultValue = "570204",
            description = "Sessions in the detection mix (default: ${DEFAULT-VALUE}, DeepLog's HDFS test size).")
    int sessions;

    @Option(names = "--batch", defaultValue = "10000",
            description = "Sessions handed to the detector per call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "docs/results/deeplog-speed.md",
            description = "Markdown report to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Split split = Protocols.byName(HdfsDeepLogProtocol.NAME).load(DataDir.of(data), 42);
        List<Sequence> training = split.train();
        Path modelDir = Files.createTempDirectory("anomalog-deeplog-speed");
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        try (Detector d = new DeepLogProvider().trainer(Params.empty())
                .fit(training, split.vocabulary(), ProgressBar.forTerminal())) {
            d.save(modelDir);
        }
        double trainSecs = (System.nanoTime() - t0) / 1e9;
        double trainCpuSecs = (processCpuNanos() - cpu0) / 1e9;
        Map<String, Object> trainingSummary = io.anomalog.core.detect.ModelManifest.read(modelDir).training();
        Map<String, Object> hyper = io.anomalog.core.detect.ModelManifest.read(modelDir).hyperParameters();

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
        io.anomalog.core.io.Folders.deleteTree(modelDir);

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
        System.err.print(md);
        System.err.println("anomalog: wrote " + out);
        return 0;
    }

    /** CPU time of this process (all threads, native ones included), so timings on a shared machine can be read. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

}
