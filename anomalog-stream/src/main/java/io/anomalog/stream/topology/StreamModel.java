package io.anomalog.stream.topology;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.template.Drain;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the detector service needs from a model directory: the trained detector and the template store whose ids
 * are the detector's log keys ({@value #STORE_FILE} in the model directory, or a store given separately).
 */
public final class StreamModel implements AutoCloseable {

    /** The template store saved beside a model trained on parsed text. */
    public static final String STORE_FILE = "template-store.json";

    private final Detector detector;
    private final TemplateStore store;
    private final Drain drain;
    private final int firstLiveTemplateId;

    private StreamModel(Detector detector, TemplateStore store) {
        this.detector = detector;
        this.store = store;
        this.firstLiveTemplateId = store.nextId();
        // Live lines may add templates, but must never merge templates the model has keys for: the sibling rule
        // (several words at one position become a variable) would map known keys onto one another mid-stream.
        this.drain = Drain.builder().store(store).variableSiblings(0).build();
    }

    /**
     * Loads a model directory.
     *
     * @param templates a template store file, or null for {@value #STORE_FILE} in the model directory
     */
    public static StreamModel load(Path modelDir, Path templates) throws IOException {
        Path storeFile = templates != null ? templates : modelDir.resolve(STORE_FILE);
        if (!Files.exists(storeFile)) {
            throw new AnomalogException("no template store for model " + modelDir + ": " + storeFile
                    + " is missing; the stream parses raw lines, so the model must come with the store its keys"
                    + " were made with (give one with --templates)");
        }
        TemplateStore store = TemplateStore.load(storeFile);
        Detector detector = Detectors.load(modelDir);
        try {
            detector.manifest().requireTemplateStore(store.hash(), modelDir);
        } catch (AnomalogException e) {
            detector.close();
            throw e;
        }
        return new StreamModel(detector, store);
    }

    /** A model made in this process (the demo trains one). */
    public static StreamModel of(Detector detector, TemplateStore store) {
        return new StreamModel(detector, store);
    }

    public Detector detector() {
        return detector;
    }

    public TemplateStore store() {
        return store;
    }

    /** Template ids from here on were learned in the stream, not loaded with the model. */
    public int firstLiveTemplateId() {
        return firstLiveTemplateId;
    }

    /** The miner the stream parses with: Drain over the model's store, so known templates keep their ids. */
    public Drain miner() {
        return drain;
    }

    @Override
    public void close() {
        detector.close();
    }
}
