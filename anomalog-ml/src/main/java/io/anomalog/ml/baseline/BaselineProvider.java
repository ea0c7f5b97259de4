package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Common part of the classic methods' providers: parameter checking, manifest creation, version checks. */
abstract class BaselineProvider implements DetectorProvider {

    private final String method;
    private final String description;
    private final boolean supervised;
    private final int version;

    BaselineProvider(String method, boolean supervised, int version, String description) {
        this.method = method;
        this.supervised = supervised;
        this.version = version;
        this.description = description;
    }

    @Override
    public final String method() {
        return method;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final boolean supervised() {
        return supervised;
    }

    /** Reads every parameter (with defaults) and returns the fit; unknown names fail after this. */
    protected abstract BaselineTrainer.Fit configure(Params params);

    /** Reads the method's parameter files. */
    protected abstract Detector read(Path modelDir, ModelManifest manifest) throws IOException;

    @Override
    public final Trainer trainer(Params params) {
        BaselineTrainer.Fit fit;
        try {
            fit = configure(params);
        } catch (IllegalArgumentException e) {
            throw new AnomalogException(method + ": " + e.getMessage());
        }
        params.checkAllUsed(method);
        return new BaselineTrainer(method, supervised, fit);
    }

    @Override
    public final Detector load(Path modelDir, ModelManifest manifest) throws IOException {
        manifest.requireMethodVersion(version, modelDir);
        return read(modelDir, manifest);
    }

    /** The manifest of a model fitted now with these parameters. */
    ModelManifest manifest(Params params, KeyVocabulary vocabulary, BaselineTrainer.Summary training) {
        return ModelManifest.create(method, version, new LinkedHashMap<>(params.used()), vocabulary,
                training.provenance(), training.facts(), Map.of());
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
