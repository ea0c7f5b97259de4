package io.anomalog.cli;

import com.fasterxml.jackson.databind.SequenceWriter;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.io.Json;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code anomalog detect}: scores sequences with a saved model and writes the anomalies as JSON lines. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Scores sequences with a trained model; writes anomalies (with explanations) as JSON lines.")
final class DetectCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "Model directory.")
    Path model;

    @Mixin
    SequenceInput input;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Output file (default: standard output).")
    Path out;

    @Option(names = "--all", description = "Write a verdict for every sequence, not only anomalies.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        List<Sequence> sequences = read(input, model, Label.UNKNOWN).sequences();
        long start = System.nanoTime();
        int anomalies = 0;
        try (Detector detector = Detectors.load(model);
             OutputStream os = out == null ? nonClosing(System.out) : Files.newOutputStream(out);
             SequenceWriter w = Json.MAPPER.writer().withRootValueSeparator("\n").writeValues(os)) {
            List<Verdict> verdicts = detector.scoreAll(sequences);
            for (Verdict v : verdicts) {
                if (v.anomalous()) {
                    anomalies++;
                }
                if (all || v.anomalous()) {
                    w.write(v);
                }
            }
            w.flush();
            os.write('\n');
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.err.printf("%,d sequences, %,d anomalous, %.2f s (%,.0f sequences/s)%n", sequences.size(), anomalies,
                secs, sequences.size() / Math.max(secs, 1e-9));
        return 0;
    }

    /** Sequences from --logs (parsed with the model's template store, format and grouping) or from key files. */
    static SequenceInput.Read read(SequenceInput input, Path model, Label label) {
        return input.forDetection(model, io.anomalog.core.detect.ModelManifest.read(model), label);
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void close() throws java.io.IOException {
                flush();
            }
        };
    }
}
