package io.anomalog.ml.attgru;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import io.anomalog.ml.djl.TorchEngine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A window classifier's network and parameters for scoring: batches of windows in, anomaly probabilities and
 * attention weights out. Scoring is safe from several threads (each call works in its own NDManager and the
 * parameters are only read).
 */
public final class WindowModel implements AutoCloseable {

    private final Model model;
    private final WindowClassifierBlock block;

    private WindowModel(Model model, WindowClassifierBlock block) {
        this.model = model;
        this.block = block;
    }

    /** A new network with initial parameters; the key table is set to {@code fixedTable} when given. */
    public static WindowModel create(Architecture arch, float[][] fixedTable, long seed) {
        TorchEngine.get().setRandomSeed((int) seed);
        Model model = Model.newInstance(arch.variant().method(), TorchEngine.get().getEngineName());
        WindowClassifierBlock block = new WindowClassifierBlock(arch, fixedTable == null);
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape(arch, 1));
        if (fixedTable != null) {
            setTable(block, fixedTable);
        }
        return new WindowModel(model, block);
    }

    /** A network with the parameters written by {@link #parameters()}. */
    public static WindowModel fromParameters(Architecture arch, boolean trainableTable, byte[] parameters) {
        TorchEngine.get();
        Model model = Model.newInstance(arch.variant().method(), TorchEngine.get().getEngineName());
        WindowClassifierBlock block = new WindowClassifierBlock(arch, trainableTable);
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape(arch, 1));
        try {
            block.loadParameters(model.getNDManager(), new DataInputStream(new ByteArrayInputStream(parameters)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalArgumentException("model parameters do not fit the architecture: " + e.getMessage(), e);
        }
        for (Parameter p : block.getParameters().values()) {
            p.freeze(true); // scoring needs no gradients
        }
        return new WindowModel(model, block);
    }

    static Shape inputShape(Architecture arch, long batch) {
        return new Shape(batch, arch.window(), arch.channels());
    }

    static void setTable(WindowClassifierBlock block, float[][] table) {
        Architecture arch = block.architecture();
        if (table.length != arch.keyRows() || table[0].length != arch.vectorSize()) {
            throw new IllegalArgumentException("key table is " + table.length + "x" + table[0].length + ", expected "
                    + arch.keyRows() + "x" + arch.vectorSize());
        }
        float[] flat = new float[arch.keyRows() * arch.vectorSize()];
        for (int r = 0; r < table.length; r++) {
            System.arraycopy(table[r], 0, flat, r * arch.vectorSize(), arch.vectorSize());
        }
        block.table().getArray().set(FloatBuffer.wrap(flat));
    }

    public Architecture architecture() {
        return block.architecture();
    }

    Model djlModel() {
        return model;
    }

    WindowClassifierBlock block() {
        return block;
    }

    /** The parameters as bytes (DJL's parameter format). */
    public byte[] parameters() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Anomaly log-odds (the probability is their sigmoid) and attention weights of a batch of windows. */
    public record Scores(float[] logOdds, float[][] weights) {
    }

    /**
     * Scores windows.
     *
     * @param windows each {@code int[window * channels]}: per event the key index, then the attribute indices
     */
    public Scores score(int[][] windows) {
        Architecture arch = block.architecture();
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList out = forward(m, windows);
            float[] z = logOdds(out.get(0)).toFloatArray();
            float[] w = out.get(1).toFloatArray();
            float[][] weights = new float[windows.length][arch.window()];
            for (int i = 0; i < windows.length; i++) {
                System.arraycopy(w, i * arch.window(), weights[i], 0, arch.window());
            }
            return new Scores(z, weights);
        }
    }

    /** The anomaly log-odds of each window, without gradients (also while the parameters are being trained). */
    float[] logOdds(int[][] windows) {
        boolean gradients = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = model.getNDManager().newSubManager()) {
            return logOdds(forward(m, windows).get(0)).toFloatArray();
        } finally {
            JniUtils.setGradMode(gradients);
        }
    }

    /**
     * The log-odds of many windows, in chunks of {@value #CHUNK} on several Java threads (one PyTorch thread
     * each). The chunks are fixed by position, so the result does not depend on how threads share them.
     */
    float[] logOddsAll(List<int[]> windows) {
        float[] out = new float[windows.size()];
        int chunks = (windows.size() + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = c * CHUNK;
            int to = Math.min(windows.size(), from + CHUNK);
            System.arraycopy(logOdds(windows.subList(from, to).toArray(new int[0][])), 0, out, from, to - from);
        });
        return out;
    }

    /** Windows per scoring call: large enough to keep PyTorch busy, small enough to share among threads. */
    static final int CHUNK = 512;

    private NDList forward(NDManager m, int[][] windows) {
        return block.forward(new ParameterStore(m, false), new NDList(input(m, block.architecture(), windows)), false);
    }

    /** Encoded windows as the network's input array. */
    static NDArray input(NDManager m, Architecture arch, int[][] windows) {
        int width = arch.window() * arch.channels();
        int[] flat = new int[windows.length * width];
        for (int i = 0; i < windows.length; i++) {
            System.arraycopy(windows[i], 0, flat, i * width, width);
        }
        return m.create(flat, inputShape(arch, windows.length));
    }

    /**
     * Anomaly log-odds from logits: the difference of the two softmax classes, or the single sigmoid unit. The
     * anomaly probability is its sigmoid in both cases.
     */
    static NDArray logOdds(NDArray logits) {
        if (logits.getShape().get(1) == 1) {
            return logits.squeeze(1);
        }
        return logits.get(":, 1").sub(logits.get(":, 0"));
    }

    @Override
    public void close() {
        model.close();
    }
}
