package io.anomalog.ml.djl;

import ai.djl.engine.Engine;

/**
 * The one place that starts DJL's PyTorch engine, offline. The native library comes from the
 * {@code pytorch-native-cpu} jar on the class path and is unpacked into {@code DJL_CACHE_DIR} (default
 * {@code ~/.djl.ai}); with {@code ai.djl.offline=true} DJL never tries the network, so a missing native library
 * is an error here instead of a download.
 *
 * <p>Threads: PyTorch's intra-op pool is set to 1 by default (scoring parallelism comes from Java threads,
 * which scale better for the small tensors of log models); training asks for more through
 * {@code ai.djl.pytorch.num_threads} at start-up.
 */
public final class TorchEngine {

    private static volatile Engine engine;

    private TorchEngine() {
    }

    /** Sets the offline and thread properties (unless the user set them) and returns the PyTorch engine. */
    public static Engine get() {
        Engine e = engine;
        if (e == null) {
            synchronized (TorchEngine.class) {
                e = engine;
                if (e == null) {
                    setDefault("ai.djl.offline", "true");
                    setDefault("ai.djl.default_engine", "PyTorch");
                    setDefault("ai.djl.pytorch.num_interop_threads", "1");
                    setDefault("ai.djl.pytorch.num_threads", "1");
                    setDefault("ai.djl.pytorch.graph_optimizer", "false");
                    e = Engine.getEngine("PyTorch");
                    engine = e;
                }
            }
        }
        return e;
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
