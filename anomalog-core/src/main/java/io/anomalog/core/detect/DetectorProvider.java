package io.anomalog.core.detect;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Registers one detection method. Found with {@link java.util.ServiceLoader}: a module lists its providers in
 * {@code META-INF/services/io.anomalog.core.detect.DetectorProvider}, and the command line, the benchmark
 * harness and the stream service see every method without knowing its classes.
 */
public interface DetectorProvider {

    /** The method name users type, e.g. "deeplog", "pca", "attgru". */
    String method();

    /** One line for help texts and report tables. */
    String description();

    boolean supervised();

    /**
     * Whether the method judges time windows by their feature vectors ({@link io.anomalog.core.session.Sequence#features()})
     * rather than keys; such a method only runs where the input gives them.
     */
    default boolean needsFeatures() {
        return false;
    }

    /** A trainer configured from user parameters; unknown parameter names are an error. */
    Trainer trainer(Params params);

    /** Loads a model directory whose manifest names this method. */
    Detector load(Path modelDir, ModelManifest manifest) throws IOException;
}
