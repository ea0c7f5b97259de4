package io.anomalog.stream.demo;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.Drain;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.Progress;
import io.anomalog.stream.simulate.HdfsSimulator;
import io.anomalog.stream.simulate.KeySessions;
import io.anomalog.stream.simulate.SimulatedLine;
import io.anomalog.stream.topology.SessionIds;
import io.anomalog.stream.topology.StreamModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the model the demo detects with, the way a user would from their own logs: simulated normal HDFS lines
 * (real normal key sessions of the bundled {@code hdfs_train}) are parsed with Drain into log keys, grouped by
 * block id into sessions, and a detector is fitted on them. The model directory gets the template store
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
     */
    public static Trained train(KeySessions data, String method, int sessions, Params params, long seed, Path modelDir,
                                Progress progress) throws IOException {
        long start = System.nanoTime();
        LogFormat hdfs = LogFormats.byName("hdfs");
        TemplateStore store = new TemplateStore();
        Drain drain = Drain.builder().store(store).build();
        SessionIds ids = SessionIds.of(SessionIds.HDFS_BLOCK);
        HdfsSimulator sim = HdfsSimulator.builder(data).hosts(1).sessions(sessions).anomalyRate(0).seed(seed).build();
        Map<String, List<Integer>> keysBySession = new LinkedHashMap<>();
        long lines = 0;
        var host = sim.host(0);
        while (host.hasNext()) {
            SimulatedLine l = host.next();
            ParsedEvent e = drain.add(hdfs.parse(l.line(), "training", ++lines, -1));
            keysBySession.computeIfAbsent(ids.find(e.record().content()), k -> new ArrayList<>()).add(e.templateId());
        }
        List<Sequence> training = new ArrayList<>();
        keysBySession.forEach((id, keys) -> training.add(new Sequence(id,
                keys.stream().mapToInt(k -> drain.resolve(k)).toArray(), Label.NORMAL)));
        Map<Integer, String> texts = new java.util.HashMap<>();
        for (TemplateStore.Entry t : store.entries()) {
            texts.put(t.id(), t.text());
        }
        Trainer trainer = Detectors.provider(method).trainer(params).withTemplateTexts(texts);
        params.checkAllUsed(method);
        Detector detector = trainer.fit(training, KeyVocabulary.of(training), progress);
        detector.save(modelDir);
        store.save(modelDir.resolve(StreamModel.STORE_FILE));
        return new Trained(StreamModel.of(detector, store), training.size(), lines, store.size(),
                (System.nanoTime() - start) / 1e9);
    }
}
