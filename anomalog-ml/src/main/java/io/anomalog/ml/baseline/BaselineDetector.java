package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;

import java.io.IOException;
import java.nio.file.Path;

/** Common part of the classic detectors: the manifest, and saving parameters before the manifest. */
abstract class BaselineDetector implements Detector {

    protected final ModelManifest manifest;

    BaselineDetector(ModelManifest manifest) {
        this.manifest = manifest;
    }

    @Override
    public String method() {
        return manifest.method();
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    /** Writes the method's parameter files (the manifest follows). */
    protected abstract void writeParameters(Path modelDir) throws IOException;

    @Override
    public final void save(Path modelDir) throws IOException {
        writeParameters(modelDir);
        manifest.write(modelDir);
    }
}
