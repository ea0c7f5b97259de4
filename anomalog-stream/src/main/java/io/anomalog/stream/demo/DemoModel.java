package io.anomalog.stream.demo;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.detect.Provenance;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.ingest.LogSequences;
import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.Progress;
import io.anomalog.stream.simulate.HdfsSimulator;
import io.anomalog.stream.simulate.KeySessions;
import io.anomalog.stream.simulate.SimulatedLine;
import io.anomalog.stream.topology.StreamModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trains the model the demo detects with, the way a user would from their own logs: simulated normal HDFS lines
 * (real normal key sessions of the bundled {@code hdfs_train}) go through the ingest pipeline into log keys, are
 * grouped (by block id unless the demo is told otherwise), and a detector is fitted on them. The model directory gets the template store
 * ({@value StreamModel#STORE_FILE}) so the stream parses with the same keys.
 */
public final class DemoModel {

    private DemoModel() {
    }

    /** What training produced. */
    public record Trained(StreamModel model, int sessions, long lines, int templates, double seconds) {
    }

    /**
     * @param sessions normal sessions to simulate for training
     * @param params   detector hyper-parameters
     * @param format   how the simulated HDFS lines are read (the stream reads them the same way)
     * @param grouping how lines become sessions or windows (the stream groups the same way)
     */
    public static Trained train(KeySessions data, String method, int sessions, Params params, long seed, Path modelDir,
                                FormatSpec format, GroupingSpec grouping, Progress progress) throws IOException {
        long start = System.nanoTime();
        TemplateStore store = new TemplateStore();
        // the same ingest pipeline as `anomalog train --logs`, over simulated lines instead of a file
        IngestPipeline pipeline = IngestPipeline.builder(format.resolve()).store(store).build();
        HdfsSimulator sim = HdfsSimulator.builder(data).hosts(1).sessions(sessions).anomalyRate(0).seed(seed).build();
        List<ParsedEvent> events = new ArrayList<>();
        long lines = 0;
        var host = sim.host(0);
        while (host.hasNext()) {
            SimulatedLine l = host.next();
            ParsedEvent e = pipeline.line(l.line(), "training", ++lines, -1);
            if (e != null) {
                events.add(e);
            }
        }
        List<Sequence> training = LogSequences.group(pipeline, pipeline.resolved(events), grouping,
                id -> Label.NORMAL).sequences().stream().map(q -> q.withLabel(Label.NORMAL)).toList();
        Map<Integer, String> texts = new java.util.HashMap<>();
        for (TemplateStore.Entry t : store.entries()) {
            texts.put(t.id(), t.text());
        }
        Trainer trainer = Detectors.provider(method).trainer(params).withTemplateTexts(texts)
                .withProvenance(Provenance.of("simulated hdfs (" + sessions + " normal sessions, seed " + seed + ")",
                        List.of(), format, grouping, pipeline.settings().describe(), store.hash()));
        params.checkAllUsed(method);
        Detector detector = trainer.fit(training, KeyVocabulary.of(training), progress);
        store.save(modelDir.resolve(StreamModel.STORE_FILE));
        detector.save(modelDir);
        return new Trained(StreamModel.of(detector, store), training.size(), lines, store.size(),
                (System.nanoTime() - start) / 1e9);
    }
}
