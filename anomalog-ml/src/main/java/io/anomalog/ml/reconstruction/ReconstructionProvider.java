package io.anomalog.ml.reconstruction;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Trainer;

import java.io.IOException;
import java.nio.file.Path;

/** Registers the LSTM autoencoder over sequences of time-window feature vectors as method {@code reconstruction}. */
public final class ReconstructionProvider implements DetectorProvider {

    public static final String METHOD = "reconstruction";

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public String description() {
        return "LSTM autoencoder over time-window feature vectors: flags windows reconstructed worse than the mean "
                + "+ k sigma of validation errors, naming the worst features";
    }

    @Override
    public boolean supervised() {
        return false;
    }

    @Override
    public boolean needsFeatures() {
        return true;
    }

    @Override
    public Trainer trainer(Params params) {
        ReconstructionConfig config = ReconstructionConfig.from(params);
        params.checkAllUsed(METHOD);
        return new ReconstructionTrainer(config);
    }

    @Override
    public Detector load(Path modelDir, ModelManifest manifest) throws IOException {
        manifest.requireMethodVersion(ReconstructionDetector.METHOD_VERSION, modelDir);
        return ReconstructionDetector.read(modelDir, manifest);
    }
}
