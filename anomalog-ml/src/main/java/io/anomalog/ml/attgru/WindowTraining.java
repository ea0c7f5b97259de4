package io.anomalog.ml.attgru;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.djl.TorchEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Mini-batch training of a {@link WindowModel} with Adam and early stopping, on labelled sessions.
 *
 * <p>A session is judged by its most anomalous window, so that is what training supervises (multiple-instance
 * learning): all windows of a batch of sessions go through the network, each window's anomaly log-odds is
 * taken (logit difference of the two softmax classes, or the sigmoid unit's logit), the session's log-odds is
 * the maximum over its windows, and the loss is the cross-entropy of that against the session label, with
 * anomalous sessions weighted by {@code positiveWeight}. For the softmax variants this is exactly the
 * two-class cross-entropy of the deciding window. A normal session thus teaches that all its windows are
 * normal, an anomalous one that at least one window is anomalous, without labelling any single window.
 *
 * <p>After each epoch the loss on the validation sessions is measured, the parameters of the best epoch are
 * kept, and training stops after {@code patience} epochs without improvement.
 */
final class WindowTraining {

    /** Settings of one training run. */
    record Settings(int batchSize, float learningRate, int maxEpochs, int patience, float positiveWeight,
                    int threads, long seed) {
    }

    /** What came out: the best parameters and how the run went. */
    record Outcome(byte[] parameters, int epochs, int bestEpoch, double bestValidationLoss, double lastTrainLoss) {
    }

    private WindowTraining() {
    }

    static Outcome run(WindowModel model, List<int[][]> trainX, List<Integer> trainY, List<int[][]> valX,
                       List<Integer> valY, Settings s, Progress progress) {
        int previousThreads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(Math.max(1, s.threads()));
        try {
            return train(model, trainX, trainY, valX, valY, s, progress);
        } finally {
            JniUtils.setNumThreads(previousThreads);
        }
    }

    private static Outcome train(WindowModel model, List<int[][]> trainX, List<Integer> trainY, List<int[][]> valX,
                                 List<Integer> valY, Settings s, Progress progress) {
        TorchEngine.get().setRandomSeed((int) s.seed());
        WindowClassifierBlock block = model.block();
        List<Parameter> trainable = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            boolean fixedTable = p == block.table() && !isTrainableTable(block);
            p.freeze(fixedTable);
            if (!fixedTable) {
                trainable.add(p);
            }
        }
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(s.learningRate())).build();
        NDManager root = model.djlModel().getNDManager();
        Random random = new Random(s.seed());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < trainX.size(); i++) {
            order.add(i);
        }
        boolean useValidation = !valX.isEmpty();
        double best = Double.POSITIVE_INFINITY;
        byte[] bestParameters = model.parameters();
        int bestEpoch = 0;
        int epoch = 0;
        double trainLoss = Double.NaN;
        progress.start("training " + block.architecture().variant().method(), s.maxEpochs());
        while (epoch < s.maxEpochs()) {
            epoch++;
            java.util.Collections.shuffle(order, random);
            double sum = 0;
            for (int from = 0; from < order.size(); from += s.batchSize()) {
                int to = Math.min(order.size(), from + s.batchSize());
                try (NDManager m = root.newSubManager()) {
                    NDArray[] batch = batch(m, block.architecture(), trainX, trainY, order.subList(from, to));
                    try (GradientCollector gc = TorchEngine.get().newGradientCollector()) {
                        NDList out = block.forward(new ParameterStore(m, false), new NDList(batch[0]), true);
                        NDArray loss = loss(out.get(0), batch[2], batch[1], s.positiveWeight());
                        gc.backward(loss);
                        sum += loss.getFloat() * (to - from);
                    }
                    for (Parameter p : trainable) {
                        NDArray grad = p.getArray().getGradient();
                        adam.update(p.getId(), p.getArray(), grad);
                        grad.subi(grad);
                    }
                }
            }
            trainLoss = sum / Math.max(1, order.size());
            double validation = useValidation ? evaluate(model, valX, valY, s) : trainLoss;
            progress.advance(1);
            progress.status(String.format(java.util.Locale.ROOT, "epoch %d loss %.4f validation %.4f", epoch,
                    trainLoss, validation));
            if (validation < best - 1e-6) {
                best = validation;
                bestEpoch = epoch;
                bestParameters = model.parameters();
            } else if (epoch - bestEpoch >= s.patience()) {
                break;
            }
        }
        progress.finish();
        return new Outcome(bestParameters, epoch, bestEpoch, best, trainLoss);
    }

    private static boolean isTrainableTable(WindowClassifierBlock block) {
        return block.trainableTable();
    }

    /** Mean loss over windows, without gradients. */
    static double evaluate(WindowModel model, List<int[][]> x, List<Integer> y, Settings s) {
        WindowClassifierBlock block = model.block();
        double sum = 0;
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            all.add(i);
        }
        for (int from = 0; from < x.size(); from += 512) {
            int to = Math.min(x.size(), from + 512);
            try (NDManager m = model.djlModel().getNDManager().newSubManager()) {
                NDArray[] batch = batch(m, block.architecture(), x, y, all.subList(from, to));
                NDList out = block.forward(new ParameterStore(m, false), new NDList(batch[0]), false);
                sum += loss(out.get(0), batch[2], batch[1], s.positiveWeight()).getFloat() * (to - from);
            }
        }
        return sum / Math.max(1, x.size());
    }

    /**
     * The distinct windows of a batch of sessions ({@code [N, W, 2]}; sessions share many windows, and each is
     * computed once), the session labels ({@code [B]}), and for each session the positions of its windows
     * ({@code [B, M]}, padded with N, which points at a log-odds of -1e4).
     */
    private static NDArray[] batch(NDManager m, Architecture arch, List<int[][]> x, List<Integer> y,
                                   List<Integer> rows) {
        int width = arch.window() * 2;
        int most = 1;
        for (int r : rows) {
            most = Math.max(most, x.get(r).length);
        }
        java.util.Map<SessionWindows.Key, Integer> distinct = new java.util.HashMap<>();
        List<int[]> windows = new ArrayList<>();
        int[][] positions = new int[rows.size()][];
        float[] labels = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            int[][] session = x.get(rows.get(i));
            positions[i] = new int[session.length];
            for (int k = 0; k < session.length; k++) {
                int[] w = session[k];
                positions[i][k] = distinct.computeIfAbsent(new SessionWindows.Key(w), key -> {
                    windows.add(w);
                    return windows.size() - 1;
                });
            }
            labels[i] = y.get(rows.get(i));
        }
        int total = windows.size();
        int[] flat = new int[total * width];
        for (int n = 0; n < total; n++) {
            System.arraycopy(windows.get(n), 0, flat, n * width, width);
        }
        long[] index = new long[rows.size() * most];
        for (int i = 0; i < rows.size(); i++) {
            for (int k = 0; k < most; k++) {
                index[i * most + k] = k < positions[i].length ? positions[i][k] : total;
            }
        }
        return new NDArray[]{m.create(flat, WindowModel.inputShape(arch, total)), m.create(labels),
                m.create(index, new ai.djl.ndarray.types.Shape(rows.size(), most))};
    }

    /** Mean loss of a batch of sessions; {@code labels} are 0/1 floats. */
    static NDArray loss(NDArray logits, NDArray index, NDArray labels, float positiveWeight) {
        NDArray windowLogOdds = logits.getShape().get(1) == 1 ? logits.squeeze(1)
                : logits.get(":, 1").sub(logits.get(":, 0"));
        NDArray padded = windowLogOdds.concat(logits.getManager().create(new float[]{-1e4f}), 0);
        NDArray z = padded.take(index).max(new int[]{1});
        // binary cross-entropy from logits: w * y * softplus(-z) + (1 - y) * softplus(z)
        NDArray pos = Activation.softPlus(z.neg()).mul(labels).mul(positiveWeight);
        NDArray neg = Activation.softPlus(z).mul(labels.neg().add(1f));
        return pos.add(neg).mean();
    }
}
