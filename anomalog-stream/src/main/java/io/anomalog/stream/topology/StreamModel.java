package io.anomalog.stream.topology;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.Provenance;
import io.anomalog.core.features.WindowFeatureModel;
import io.anomalog.core.ingest.BadLinePolicy;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.log.LogReader;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.template.MinerSettings;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the detector service needs from a model directory: the trained detector, the template store whose ids are
 * the detector's log keys ({@value #STORE_FILE} in the model directory, or a store given separately), and the
 * format and grouping the model was trained with, which the stream uses unless told otherwise.
 */
public final class StreamModel implements AutoCloseable {

    /** The template store saved beside a model trained on parsed text. */
    public static final String STORE_FILE = "template-store.json";

    private final Detector detector;
    private final TemplateStore store;
    private final String storeName;
    private final WindowFeatureModel features;

    private StreamModel(Detector detector, TemplateStore store, String storeName, WindowFeatureModel features) {
        this.detector = detector;
        this.store = store;
        this.storeName = storeName;
        this.features = features;
    }

    /**
     * Loads a model directory.
     *
     * @param templates a template store file, or null for {@value #STORE_FILE} in the model directory
     */
    public static StreamModel load(Path modelDir, Path templates) throws IOException {
        if (!Files.isDirectory(modelDir)) {
            throw new AnomalogException("model directory " + modelDir + " does not exist");
        }
        return loadVersion(io.anomalog.core.detect.ModelRegistry.activeDir(modelDir), templates);
    }

    /** Loads one version's directory as it is (no registry lookup). */
    public static StreamModel loadVersion(Path modelDir, Path templates) throws IOException {
        Path storeFile = templates != null ? templates : modelDir.resolve(STORE_FILE);
        if (!Files.exists(storeFile)) {
            throw new AnomalogException("model " + modelDir + " has no template store (" + storeFile.getFileName()
                    + "): it was trained on key files, and the stream parses raw lines; train it with --logs, or give"
                    + " the store its keys were made with (--templates)");
        }
        TemplateStore store = TemplateStore.load(storeFile);
        Detector detector = Detectors.load(modelDir);
        WindowFeatureModel features;
        try {
            detector.manifest().requireTemplateStore(store.hash(), modelDir);
            features = WindowFeatureModel.readIfPresent(modelDir);
            if (detector.needsFeatures() && features == null) {
                throw new AnomalogException("model " + modelDir + " judges window feature vectors but has no "
                        + WindowFeatureModel.FILE + ": train it again with --logs and --time-window");
            }
        } catch (AnomalogException e) {
            detector.close();
            throw e;
        }
        return new StreamModel(detector, store, storeFile.toString(), features);
    }

    /** A model made in this process (the demo trains one). */
    public static StreamModel of(Detector detector, TemplateStore store) {
        return new StreamModel(detector, store, "(in memory)", null);
    }

    /**
     * How the model's windows become feature vectors ({@value WindowFeatureModel#FILE}), or null for a model of
     * log keys; give it to {@link DetectorTopology.Settings#features}.
     */
    public WindowFeatureModel features() {
        return features;
    }

    public Detector detector() {
        return detector;
    }

    public TemplateStore store() {
        return store;
    }

    /** Where the model's training data came from, or null for models that did not record it. */
    public Provenance provenance() {
        return detector.manifest().provenance();
    }

    /** The format the model was trained with, or null. */
    public FormatSpec trainedFormat() {
        Provenance p = provenance();
        return p == null ? null : p.format();
    }

    /** The grouping the model was trained with, or null. */
    public GroupingSpec trainedGrouping() {
        Provenance p = provenance();
        return p == null ? null : p.groupingSpec();
    }

    /** The ingest pipeline the stream parses with, in detection mode over the model's store and miner settings. */
    public IngestPipeline pipeline(FormatSpec format, BadLinePolicy policy) {
        return pipeline(format, policy, LogReader.DEFAULT_MAX_LINE_BYTES, null, false);
    }

    /**
     * @param miner    miner settings asked for, or null for the store's own
     * @param override use them even when the store was made with others
     */
    public IngestPipeline pipeline(FormatSpec format, BadLinePolicy policy, int maxLineBytes, MinerSettings miner,
                                   boolean override) {
        return IngestPipeline.builder(format.resolve()).policy(policy).maxLineBytes(maxLineBytes)
                .miner(miner != null ? miner : MinerSettings.of(store.settings())).overrideSettings(override)
                .mode(MinerSettings.Mode.DETECT).store(store, storeName).build();
    }

    @Override
    public void close() {
        detector.close();
    }
}
