package io.anomalog.ml.attgru;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Trainer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Registers one member of the window-classifier family; the subclasses below are what
 * {@code META-INF/services/io.anomalog.core.detect.DetectorProvider} lists.
 */
public abstract class WindowClassifierProvider implements DetectorProvider {

    private final Variant variant;

    protected WindowClassifierProvider(Variant variant) {
        this.variant = variant;
    }

    @Override
    public String method() {
        return variant.method();
    }

    @Override
    public String description() {
        return variant.description();
    }

    @Override
    public boolean supervised() {
        return true;
    }

    @Override
    public Trainer trainer(Params params) {
        return new WindowClassifierTrainer(variant, params);
    }

    @Override
    public Detector load(Path modelDir, ModelManifest manifest) throws IOException {
        return WindowClassifierDetector.load(modelDir, manifest);
    }

    /** {@code attgru}. */
    public static final class AttGru extends WindowClassifierProvider {
        public AttGru() {
            super(Variant.ATTGRU);
        }
    }

    /** {@code gru}. */
    public static final class Gru extends WindowClassifierProvider {
        public Gru() {
            super(Variant.GRU);
        }
    }

    /** {@code attlstm}. */
    public static final class AttLstm extends WindowClassifierProvider {
        public AttLstm() {
            super(Variant.ATTLSTM);
        }
    }

    /** {@code lstm}. */
    public static final class Lstm extends WindowClassifierProvider {
        public Lstm() {
            super(Variant.LSTM);
        }
    }

    /** {@code lstm-classifier}. */
    public static final class LstmClassifier extends WindowClassifierProvider {
        public LstmClassifier() {
            super(Variant.LSTM_CLASSIFIER);
        }
    }
}
