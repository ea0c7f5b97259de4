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
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bidirectional block against a GRU computed by hand in plain Java, with known (seeded) weights: forward
 * half = GRU over the sequence, backward half = GRU over the reversed sequence, reversed back.
 */
class BiRecurrentLayerTest {

    static final int IN = 3;
    static final int H = 2;
    static final int T = 4;

    @Test
    void matchesHandComputedGru() {
        try (NDManager m = TorchEngine.get().newBaseManager()) {
            BiRecurrentLayer layer = new BiRecurrentLayer(RecurrentCell.GRU_CELL, H);
            layer.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            layer.initialize(m, DataType.FLOAT32, new Shape(1, T, IN));
            Random r = new Random(42);
            Map<String, float[]> forward = setKnown(layer.forwardCell().getParameters(), r);
            Map<String, float[]> backward = setKnown(layer.backwardCell().getParameters(), r);

            float[][] x = new float[T][IN];
            float[] flat = new float[T * IN];
            for (int t = 0; t < T; t++) {
                for (int i = 0; i < IN; i++) {
                    x[t][i] = (float) (r.nextDouble() * 2 - 1);
                    flat[t * IN + i] = x[t][i];
                }
            }
            NDArray input = m.create(flat, new Shape(1, T, IN));
            float[] out = layer.forward(new ParameterStore(m, false), new NDList(input), false).head().toFloatArray();
            assertEquals(T * 2 * H, out.length);

            float[][] f = gru(x, forward);
            float[][] reversed = new float[T][];
            for (int t = 0; t < T; t++) {
                reversed[t] = x[T - 1 - t];
            }
            float[][] b = gru(reversed, backward);
            float[] expected = new float[T * 2 * H];
            for (int t = 0; t < T; t++) {
                System.arraycopy(f[t], 0, expected, t * 2 * H, H);
                System.arraycopy(b[T - 1 - t], 0, expected, t * 2 * H + H, H);
            }
            assertArrayEquals(expected, out, 1e-5f);
        }
    }

    /** Sets every parameter to seeded values and returns them by role (i2h/h2h weight/bias). */
    private static Map<String, float[]> setKnown(ai.djl.nn.ParameterList params, Random r) {
        Map<String, float[]> out = new HashMap<>();
        for (Pair<String, Parameter> p : params) {
            NDArray a = p.getValue().getArray();
            float[] values = new float[(int) a.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (r.nextDouble() - 0.5);
            }
            a.set(FloatBuffer.wrap(values));
            String name = p.getKey();
            String role = (name.contains("i2h") ? "i2h" : "h2h") + (p.getValue().getType() == Parameter.Type.BIAS ? "_bias" : "_weight");
            out.put(role, values);
        }
        assertEquals(4, out.size(), "one-layer GRU has i2h/h2h weights and biases: " + out.keySet());
        return out;
    }

    /** PyTorch's GRU (gates r, z, n): n = tanh(Wx + b + r * (Uh + c)); h' = (1 - z) n + z h. */
    static float[][] gru(float[][] x, Map<String, float[]> p) {
        float[] wi = p.get("i2h_weight");
        float[] wh = p.get("h2h_weight");
        float[] bi = p.get("i2h_bias");
        float[] bh = p.get("h2h_bias");
        float[] h = new float[H];
        float[][] out = new float[x.length][];
        for (int t = 0; t < x.length; t++) {
            float[] gi = new float[3 * H];
            float[] gh = new float[3 * H];
            for (int g = 0; g < 3 * H; g++) {
                gi[g] = bi[g];
                for (int i = 0; i < IN; i++) {
                    gi[g] += wi[g * IN + i] * x[t][i];
                }
                gh[g] = bh[g];
                for (int j = 0; j < H; j++) {
                    gh[g] += wh[g * H + j] * h[j];
                }
            }
            float[] next = new float[H];
            for (int j = 0; j < H; j++) {
                float rGate = sigmoid(gi[j] + gh[j]);
                float zGate = sigmoid(gi[H + j] + gh[H + j]);
                float n = (float) Math.tanh(gi[2 * H + j] + rGate * gh[2 * H + j]);
                next[j] = (1 - zGate) * n + zGate * h[j];
            }
            h = next;
            out[t] = next;
        }
        return out;
    }

    private static float sigmoid(float v) {
        return (float) (1 / (1 + Math.exp(-v)));
    }
}
