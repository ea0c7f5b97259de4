package io.anomalog.core.detect;

import io.anomalog.core.session.Sequence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained model that judges sequences. Made by a {@link Trainer}, saved as a model directory with a
 * {@link ModelManifest}, and loaded back through {@link Detectors#load(Path)}.
 *
 * <p>Implementations must be safe to call from several threads at once for scoring: the stream service and the
 * benchmark harness score in parallel.
 */
public interface Detector extends AutoCloseable {

    /** The method name, as in {@code anomalog train METHOD} (e.g. "deeplog", "pca"). */
    String method();

    Verdict score(Sequence sequence);

    /**
     * Scores many sequences; detectors override this to batch work (identical windows, tensor batches).
     * The result is in the order of the input.
     */
    default List<Verdict> scoreAll(List<Sequence> sequences) {
        List<Verdict> out = new ArrayList<>(sequences.size());
        for (Sequence s : sequences) {
            out.add(score(s));
        }
        return out;
    }

    /**
     * Whether scoring reads a sequence's events (their times, parameters and fields), not only its log keys. The
     * stream hands such a detector every closed session's events, read again from its stored lines; others get
     * the keys alone, which is cheaper.
     */
    default boolean needsEvents() {
        return false;
    }

    /**
     * Whether scoring reads a window's feature vectors ({@link io.anomalog.core.features.FeatureRows}): such a
     * model carries the {@link io.anomalog.core.features.WindowFeatureModel} it was trained with, and every input
     * path computes the vectors with it.
     */
    default boolean needsFeatures() {
        return false;
    }

    /** What was recorded when this model was trained. */
    ModelManifest manifest();

    /** Writes the model directory: parameters, then the manifest last, each atomically. */
    void save(Path modelDir) throws IOException;

    /** Frees native resources (tensors); a no-op for pure-Java models. */
    @Override
    default void close() {
    }
}
