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
        SequenceInput.Read read = read(input, model, Label.UNKNOWN);
        List<Sequence> sequences = read.sequences();
        long start = System.nanoTime();
        int anomalies = 0;
        try (Detector detector = Detectors.load(model);
             OutputStream os = out == null ? nonClosing(System.out) : Files.newOutputStream(out);
             SequenceWriter w = Json.MAPPER.writer().withRootValueSeparator("\n").writeValues(os)) {
            java.util.Set<Integer> known = java.util.Set.copyOf(detector.manifest().vocabulary());
            List<Verdict> verdicts = detector.scoreAll(sequences);
            for (int i = 0; i < verdicts.size(); i++) {
                Verdict v = verdicts.get(i);
                if (v.anomalous()) {
                    anomalies++;
                }
                if (all || v.anomalous()) {
                    w.write(Detection.of(sequences.get(i), v, known, read.templateTexts()));
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

    /**
     * One line of the output: a sequence's verdict with its keys, the same fields an anomaly record of the stream
     * has for them.
     *
     * @param unknownTemplates the text of each key the model has no key for (templates first met now), or null
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record Detection(String sequenceId, int[] keys, boolean anomalous, double score, String summary,
                     io.anomalog.core.detect.Explanation explanation, java.util.Map<Integer, String> unknownTemplates) {

        static Detection of(Sequence s, Verdict v, java.util.Set<Integer> known, java.util.Map<Integer, String> texts) {
            java.util.Map<Integer, String> unknown = new java.util.TreeMap<>();
            for (int k : s.keys()) {
                if (!known.contains(k) && texts.containsKey(k)) {
                    unknown.put(k, texts.get(k));
                }
            }
            return new Detection(v.sequenceId(), s.keys(), v.anomalous(), v.score(),
                    v.explanation() == null ? null : v.explanation().summary(), v.explanation(),
                    unknown.isEmpty() ? null : unknown);
        }
    }

    /** Sequences from --logs (parsed with the model's template store, format and grouping) or from key files. */
    static SequenceInput.Read read(SequenceInput input, Path model, Label label) {
        Path active = io.anomalog.core.detect.ModelRegistry.activeDir(model);
        return input.forDetection(active, io.anomalog.core.detect.ModelManifest.read(active), label);
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
