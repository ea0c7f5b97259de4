package io.anomalog.core.detect;

import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The methods on the class path, and loading of model directories. */
public final class Detectors {

    private static volatile Map<String, DetectorProvider> providers;

    private Detectors() {
    }

    /** Every registered method by name, sorted. */
    public static Map<String, DetectorProvider> all() {
        Map<String, DetectorProvider> p = providers;
        if (p == null) {
            Map<String, DetectorProvider> found = new TreeMap<>();
            for (DetectorProvider provider : ServiceLoader.load(DetectorProvider.class)) {
                DetectorProvider previous = found.put(provider.method(), provider);
                if (previous != null) {
                    throw new IllegalStateException("two providers for method " + provider.method());
                }
            }
            providers = p = Map.copyOf(found);
        }
        return new TreeMap<>(p);
    }

    public static DetectorProvider provider(String method) {
        DetectorProvider p = all().get(method);
        if (p == null) {
            throw new AnomalogException("unknown method '" + method + "'; known methods: "
                    + String.join(", ", all().keySet()));
        }
        return p;
    }

    /**
     * Loads a model directory (its active version, when updates made several: {@link ModelRegistry}): reads and
     * checks its manifest, then hands it to the method's provider.
     */
    public static Detector load(Path modelDir) throws IOException {
        Path dir = ModelRegistry.activeDir(modelDir);
        ModelManifest manifest = ModelManifest.read(dir);
        return provider(manifest.method()).load(dir, manifest);
    }
}
