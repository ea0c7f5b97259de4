package io.anomalog.bench.attgru;

import io.anomalog.bench.harness.ModelProbe;
import io.anomalog.bench.harness.ScoredTest;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.session.Sequence;
import io.anomalog.ml.attgru.WindowClassifierDetector;

import java.util.List;
import java.util.Optional;

/**
 * Scoring throughput of a warm model: a second, timed pass over the test set (its verdicts are not used; the
 * first pass's are the ones evaluated), and how many windows the test set holds, in all and distinct (a window
 * classifier judges every window of a session and scores each distinct window once; other methods judge whole
 * sequences, one "window" each).
 */
final class WarmThroughput implements ModelProbe<WarmThroughput.Throughput> {

    /**
     * @param windows         windows of the test set
     * @param distinctWindows distinct windows among them
     * @param seconds         time of the warm pass
     */
    record Throughput(long windows, long distinctWindows, double seconds) {

        double windowsPerSecond() {
            return windows / Math.max(seconds, 1e-9);
        }
    }

    @Override
    public String name() {
        return "warm-throughput";
    }

    @Override
    public Optional<Throughput> examine(Detector detector, Split split, List<Sequence> test, ScoredTest scored) {
        long start = System.nanoTime();
        detector.scoreAll(test);
        double seconds = (System.nanoTime() - start) / 1e9;
        long windows = test.size();
        long distinct = test.size();
        if (detector instanceof WindowClassifierDetector w) {
            windows = w.windowCount(test);
            distinct = w.distinctWindows(test);
        }
        return Optional.of(new Throughput(windows, distinct, seconds));
    }
}
