package io.anomalog.ml.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TorchEngineTest {

    @Test
    void startsPyTorchOfflineAndComputes() {
        assertEquals("PyTorch", TorchEngine.get().getEngineName());
        try (NDManager m = TorchEngine.get().newBaseManager()) {
            NDArray a = m.create(new float[]{1, 2, 3, 4}).reshape(2, 2);
            NDArray product = a.matMul(a);
            assertArrayEquals(new float[]{7, 10, 15, 22}, product.toFloatArray(), 1e-6f);
        }
    }
}
