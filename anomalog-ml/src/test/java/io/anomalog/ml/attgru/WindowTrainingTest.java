package io.anomalog.ml.attgru;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.anomalog.ml.djl.TorchEngine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training step of the window classifiers. */
class WindowTrainingTest {

    static final int WINDOW = 4;

    /** Random windows of keys 1..5 (one channel) and items made of random sets of them, labels alternating. */
    static List<int[]> windows(Random r, int count) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] w = new int[WINDOW];
            for (int t = 0; t < WINDOW; t++) {
                w[t] = 1 + r.nextInt(5);
            }
            out.add(w);
        }
        return out;
    }

    static WindowTraining.Examples items(Random r, int count, int windows) {
        int[][] ids = new int[count][];
        int[] labels = new int[count];
        float[] weights = new float[count];
        for (int i = 0; i < count; i++) {
            ids[i] = r.ints(1 + r.nextInt(5), 0, windows).distinct().toArray();
            labels[i] = i % 2;
            weights[i] = 1 + r.nextInt(3);
        }
        return new WindowTraining.Examples(ids, labels, weights);
    }

    static Map<String, float[]> gradients(WindowModel model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Parameter p : model.block().getParameters().values()) {
            NDArray g = p.getArray().getGradient();
            out.put(p.getName(), g.toFloatArray());
            g.subi(g);
        }
        return out;
    }

    @Test
    void aStepOnTheDecidingWindowsGivesTheGradientOfTheMaximumOverAllWindows() {
        // the deciding windows are picked from scores without gradients, then only they go through the network
        Random r = new Random(3);
        List<int[]> windows = windows(r, 40);
        WindowTraining.Examples items = items(r, 16, windows.size());
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            rows.add(i);
        }
        Architecture arch = new Architecture(Variant.ATTGRU, WINDOW, 7, 6, List.of(), 8, 8, 4);
        float positiveWeight = 1.5f;
        try (WindowModel model = WindowModel.create(arch, null, 5)) {
            for (Parameter p : model.block().getParameters().values()) {
                p.freeze(false);
            }
            NDManager root = model.djlModel().getNDManager();
            float stepLoss;
            try (NDManager m = root.newSubManager()) {
                int[] deciding = WindowTraining.decidingWindows(items, model.logOddsAll(windows));
                stepLoss = WindowTraining.backward(model, windows, items, rows, deciding, positiveWeight, m);
            }
            Map<String, float[]> step = gradients(model);

            // every window of every item through the network, each item's log-odds the maximum of its windows'
            float fullLoss;
            try (NDManager m = root.newSubManager()) {
                int most = 0;
                for (int[] ids : items.windows()) {
                    most = Math.max(most, ids.length);
                }
                long[] index = new long[items.size() * most];
                for (int i = 0; i < items.size(); i++) {
                    for (int k = 0; k < most; k++) {
                        int[] ids = items.windows()[i];
                        index[i * most + k] = ids[Math.min(k, ids.length - 1)];  // repeats do not change a max
                    }
                }
                float[] labels = new float[items.size()];
                float total = 0;
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = items.labels()[i];
                    total += items.weights()[i];
                }
                NDArray input = WindowModel.input(m, arch, windows.toArray(new int[0][]));
                try (GradientCollector gc = TorchEngine.get().newGradientCollector()) {
                    NDList out = model.block().forward(new ParameterStore(m, false), new NDList(input), true);
                    NDArray z = WindowModel.logOdds(out.get(0)).take(m.create(index, new Shape(items.size(), most)))
                            .max(new int[]{1});
                    NDArray loss = WindowTraining.loss(z, m.create(labels), m.create(items.weights()),
                            positiveWeight, total);
                    gc.backward(loss);
                    fullLoss = loss.getFloat();
                }
            }
            Map<String, float[]> full = gradients(model);

            assertEquals(fullLoss, stepLoss, 1e-5f);
            assertEquals(full.keySet(), step.keySet());
            boolean nonZero = false;
            for (String name : full.keySet()) {
                assertArrayEquals(full.get(name), step.get(name), 1e-5f, name);
                for (float g : full.get(name)) {
                    nonZero |= g != 0;
                }
            }
            assertTrue(nonZero, "the batch has a gradient");
        }
    }

    @Test
    void theValidationThresholdSeparatesTheClassesInTheMiddleOfTheWidestBestGap() {
        // anomalies at log-odds 3 and 5, normals at -4 and 1: every cut between 1 and 3 is perfect
        double t = ValidationThreshold.choose(new float[]{3, -4, 5, 1}, new int[]{1, 0, 1, 0},
                new float[]{1, 1, 1, 1});
        assertEquals(2.0, t, 1e-9);
        // a heavy normal item at 4 costs more as a false positive than the light anomaly at 3 gains
        t = ValidationThreshold.choose(new float[]{3, 4, 5, 1}, new int[]{1, 0, 1, 0}, new float[]{1, 10, 1, 1});
        assertEquals(4.5, t, 1e-9);
        assertTrue(Double.isNaN(ValidationThreshold.choose(new float[]{1, 2}, new int[]{0, 0},
                new float[]{1, 1})), "one class only: no threshold");
    }

    @Test
    void weighingTheValidationNormalsAtTheExpectedRatioMovesTheCutAboveAnOverlappingNormal() {
        // balanced validation: anomalies at 2, 3, 5, 6; normals at -4, -3, -1 and one at 2.5 among the anomalies
        float[] z = {2, 3, 5, 6, -4, -3, -1, 2.5f};
        int[] labels = {1, 1, 1, 1, 0, 0, 0, 0};
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1};
        // at the validation's own 1:1 the lowest anomaly is worth the one false positive
        assertEquals(0.5, ValidationThreshold.choose(z, labels, ones), 1e-9);
        // at 49 normals per anomaly that false positive weighs 49: the cut goes above it
        float[] w = ValidationThreshold.atRatio(labels, ones, 49);
        assertEquals(49f, w[4], 1e-4);
        assertEquals(1f, w[0]);
        assertEquals(2.75, ValidationThreshold.choose(z, labels, w), 1e-9);
    }
}
