package io.anomalog.ml.attgru;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import io.anomalog.ml.djl.TorchEngine;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Attention weights are a distribution over the events, ignore padding, and follow a key the scorer favours. */
class AdditiveAttentionTest {

    @Test
    void weightsSumToOneSkipPaddingAndFollowPlantedKey() {
        int d = 3;
        int a = 2;
        int steps = 5;
        try (NDManager m = TorchEngine.get().newBaseManager()) {
            AdditiveAttention att = new AdditiveAttention(d, a);
            att.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            att.initialize(m, DataType.FLOAT32, new Shape(1, steps, d), new Shape(1, steps));
            for (Pair<String, Parameter> p : att.getParameters()) {
                float[] v = switch (p.getKey()) {
                    case "W" -> new float[]{2, 0, 0, 0, 0, 0};   // only feature 0 moves the score
                    case "U" -> new float[]{0, 0, 0, 0};
                    case "q" -> new float[]{0, 0};
                    default -> new float[]{1, 0};               // v
                };
                p.getValue().getArray().set(FloatBuffer.wrap(v));
            }
            // two windows: plain events (feature 0 = 0), then the same with the planted key (feature 0 = 1) at t=3;
            // in the second window t=0 is padding
            float[] x = new float[2 * steps * d];
            for (int t = 0; t < steps; t++) {
                x[t * d + 1] = 1;
                x[steps * d + t * d + 1] = 1;
            }
            x[steps * d + 3 * d] = 1;
            float[] mask = {1, 1, 1, 1, 1, 0, 1, 1, 1, 1};
            NDList out = att.forward(new ParameterStore(m, false),
                    new NDList(m.create(x, new Shape(2, steps, d)), m.create(mask, new Shape(2, steps))), false);
            NDArray weights = out.get(1);
            float[] w = weights.toFloatArray();
            for (int b = 0; b < 2; b++) {
                float sum = 0;
                for (int t = 0; t < steps; t++) {
                    sum += w[b * steps + t];
                }
                assertEquals(1f, sum, 1e-5f);
            }
            for (int t = 0; t < steps; t++) {
                assertEquals(0.2f, w[t], 1e-5f, "equal events get equal weight");
            }
            assertEquals(0f, w[steps], 1e-6f, "padding gets no weight");
            for (int t = 1; t < steps; t++) {
                if (t != 3) {
                    assertTrue(w[steps + 3] > 2 * w[steps + t], "planted key dominates: " + w[steps + 3] + " vs " + w[steps + t]);
                }
            }
            // reweighting: x'_t = T * a_t * x_t
            float[] re = out.get(0).toFloatArray();
            assertEquals(steps * w[steps + 3], re[steps * d + 3 * d], 1e-5f);
        }
    }
}
