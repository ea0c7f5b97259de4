package io.anomalog.ml.attgru;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Mini-batch training of a {@link WindowModel} with Adam and early stopping.
 *
 * <p>Training items are {@link Examples}: each is judged by its most anomalous window, has a label and a weight.
 * A session is an item whose windows are all the session's windows (multiple-instance learning: the session's
 * anomaly log-odds is the maximum over its windows, which is how a session is judged); a window labelled on its
 * own is an item with one window. The loss is the weighted binary cross-entropy of those log-odds (for the
 * softmax variants the log-odds is the logit difference, so this is their two-class cross-entropy), with
 * anomalous items weighted by {@code positiveWeight}.
 *
 * <p>An epoch: every distinct window is scored once without gradients (several Java threads), which picks each
 * item's deciding window for the epoch and gives the validation loss of the epoch before; then the batches go
 * through the network, each with its items' deciding windows only. The maximum passes its gradient to the
 * deciding window alone, so a step costs one window per item. Choosing the deciding windows once per epoch and
 * training on them is the alternation of multiple-instance SVMs (select each bag's witness, then fit); sessions
 * share most of their windows, so scoring the distinct ones once is far cheaper than scoring each batch's.
 *
 * <p>The first {@code warmupEpochs} epochs may train on other items (the windows with their sessions' labels),
 * so that the first choice of deciding windows already favours windows that occur only in anomalous sessions.
 * After each epoch the validation loss is measured; the parameters of the best epoch are kept, and training
 * stops after {@code patience} epochs without improvement or at {@code maxEpochs}.
 */
final class WindowTraining {

    /**
     * Settings of one training run.
     *
     * @param warmupEpochs epochs on the warm-up items before the training items (0 for none)
     * @param warmupBatch  warm-up items per step
     * @param drawn        true: an epoch draws as many training items as there are, each with a probability in
     *                     proportion to its weight, and each draw weighs 1 (the weights are how often an item
     *                     occurs, and the batches look as if every occurrence were kept); false: an epoch is a
     *                     shuffle of the items, each weighted by its weight
     */
    record Settings(int batchSize, float learningRate, int maxEpochs, int patience, float positiveWeight,
                    int threads, long seed, int warmupEpochs, int warmupBatch, boolean drawn) {
    }

    /**
     * Training or validation items over a table of distinct windows.
     *
     * @param windows each item's window ids (at least one; the item is judged by the most anomalous)
     * @param labels  1 = anomalous, 0 = normal
     * @param weights how much each item counts in the loss
     */
    record Examples(int[][] windows, int[] labels, float[] weights) {

        static final Examples NONE = new Examples(new int[0][], new int[0], new float[0]);

        int size() {
            return labels.length;
        }

        boolean isEmpty() {
            return labels.length == 0;
        }

        Examples withUnitWeights() {
            float[] ones = new float[labels.length];
            Arrays.fill(ones, 1f);
            return new Examples(windows, labels, ones);
        }
    }

    /** What came out: the best parameters and how the run went. */
    record Outcome(byte[] parameters, int epochs, int bestEpoch, long steps, double bestValidationLoss,
                   double lastTrainLoss) {
    }

    private WindowTraining() {
    }

    /**
     * @param warmup items trained on in the first {@code warmupEpochs} epochs (may be empty)
     */
    static Outcome run(WindowModel model, List<int[]> windows, Examples warmup, Examples train, Examples validation,
                       Settings s, Progress progress) {
        int previousThreads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(Math.max(1, s.threads()));
        try {
            return train(model, windows, warmup, train, validation, s, progress);
        } finally {
            JniUtils.setNumThreads(previousThreads);
        }
    }

    private static Outcome train(WindowModel model, List<int[]> windows, Examples warmup, Examples train,
                                 Examples validation, Settings s, Progress progress) {
        TorchEngine.get().setRandomSeed((int) s.seed());
        WindowClassifierBlock block = model.block();
        List<Parameter> trainable = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            boolean fixedTable = p == block.table() && !block.trainableTable();
            p.freeze(fixedTable);
            if (!fixedTable) {
                trainable.add(p);
            }
        }
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(s.learningRate())).build();
        NDManager root = model.djlModel().getNDManager();
        Random random = new Random(s.seed());
        List<Integer> trainOrder = positions(train);
        List<Integer> warmupOrder = positions(warmup);
        Examples trained = s.drawn() ? train.withUnitWeights() : train;
        double[] cumulative = cumulative(train.weights());
        double best = Double.POSITIVE_INFINITY;
        byte[] bestParameters = model.parameters();
        int bestEpoch = 0;
        int epoch = 0;
        long steps = 0;
        double trainLoss = Double.NaN;
        float[] z = model.logOddsAll(windows);
        progress.start("training " + block.architecture().variant().method(), s.maxEpochs());
        while (epoch < s.maxEpochs()) {
            epoch++;
            boolean warming = epoch <= s.warmupEpochs() && !warmup.isEmpty();
            Examples items = warming ? warmup : trained;
            List<Integer> order = warming ? warmupOrder : trainOrder;
            if (!warming && s.drawn()) {
                order = draw(cumulative, random);
            } else {
                Collections.shuffle(order, random);
            }
            int batchSize = warming ? s.warmupBatch() : s.batchSize();
            int[] deciding = decidingWindows(items, z);
            double sum = 0;
            double weights = 0;
            for (int from = 0; from < order.size(); from += batchSize) {
                List<Integer> rows = order.subList(from, Math.min(order.size(), from + batchSize));
                try (NDManager m = root.newSubManager()) {
                    float batchWeight = 0;
                    for (int row : rows) {
                        batchWeight += items.weights()[row];
                    }
                    sum += backward(model, windows, items, rows, deciding, s.positiveWeight(), m) * batchWeight;
                    weights += batchWeight;
                    for (Parameter p : trainable) {
                        NDArray grad = p.getArray().getGradient();
                        adam.update(p.getId(), p.getArray(), grad);
                        grad.subi(grad);
                    }
                }
                steps++;
            }
            trainLoss = sum / Math.max(1e-9, weights);
            z = model.logOddsAll(windows);
            double validationLoss = validation.isEmpty() ? trainLoss : loss(validation, z, s.positiveWeight());
            progress.advance(1);
            progress.status(String.format(Locale.ROOT, "epoch %d loss %.4f validation %.4f", epoch, trainLoss,
                    validationLoss));
            if (validationLoss < best - 1e-6) {
                best = validationLoss;
                bestEpoch = epoch;
                bestParameters = model.parameters();
            } else if (epoch - bestEpoch >= s.patience()) {
                break;
            }
        }
        progress.finish();
        return new Outcome(bestParameters, epoch, bestEpoch, steps, best, trainLoss);
    }

    /**
     * The loss of a batch of items, with its gradient added to the parameters' gradients: only the distinct
     * deciding windows of the items go through the network.
     *
     * @param deciding each item's deciding window id (by item position)
     * @return the batch's weighted mean loss
     */
    static float backward(WindowModel model, List<int[]> windows, Examples items, List<Integer> rows,
                          int[] deciding, float positiveWeight, NDManager m) {
        WindowClassifierBlock block = model.block();
        Map<Integer, Integer> slot = new HashMap<>();
        List<int[]> distinct = new ArrayList<>();
        long[] index = new long[rows.size()];
        float[] labels = new float[rows.size()];
        float[] itemWeights = new float[rows.size()];
        float batchWeight = 0;
        for (int i = 0; i < rows.size(); i++) {
            int row = rows.get(i);
            index[i] = slot.computeIfAbsent(deciding[row], k -> {
                distinct.add(windows.get(k));
                return distinct.size() - 1;
            });
            labels[i] = items.labels()[row];
            itemWeights[i] = items.weights()[row];
            batchWeight += itemWeights[i];
        }
        NDArray input = WindowModel.input(m, block.architecture(), distinct.toArray(new int[0][]));
        try (GradientCollector gc = TorchEngine.get().newGradientCollector()) {
            NDList out = block.forward(new ParameterStore(m, false), new NDList(input), true);
            NDArray zs = WindowModel.logOdds(out.get(0)).take(m.create(index, new Shape(index.length)));
            NDArray loss = loss(zs, m.create(labels), m.create(itemWeights), positiveWeight, batchWeight);
            gc.backward(loss);
            return loss.getFloat();
        }
    }

    private static double[] cumulative(float[] weights) {
        double[] out = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            out[i] = sum;
        }
        return out;
    }

    /** As many item positions as there are items, each drawn with probability in proportion to its weight. */
    private static List<Integer> draw(double[] cumulative, Random random) {
        List<Integer> out = new ArrayList<>(cumulative.length);
        double total = cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            int at = Arrays.binarySearch(cumulative, random.nextDouble() * total);
            out.add(Math.min(cumulative.length - 1, at >= 0 ? at + 1 : -at - 1));
        }
        return out;
    }

    private static List<Integer> positions(Examples items) {
        List<Integer> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(i);
        }
        return out;
    }

    /** Each item's most anomalous window (its id), given the log-odds of every window of the table. */
    static int[] decidingWindows(Examples items, float[] z) {
        int[] deciding = new int[items.size()];
        for (int i = 0; i < deciding.length; i++) {
            int[] ids = items.windows()[i];
            int top = ids[0];
            for (int id : ids) {
                if (z[id] > z[top]) {
                    top = id;
                }
            }
            deciding[i] = top;
        }
        return deciding;
    }

    /** Each item's log-odds (that of its most anomalous window), given the log-odds of every window. */
    static float[] itemLogOdds(Examples items, float[] z) {
        int[] deciding = decidingWindows(items, z);
        float[] out = new float[deciding.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = z[deciding[i]];
        }
        return out;
    }

    /** Weighted mean loss of items, given the log-odds of every window. */
    static double loss(Examples items, float[] z, float positiveWeight) {
        float[] itemZ = itemLogOdds(items, z);
        double sum = 0;
        double weights = 0;
        for (int i = 0; i < itemZ.length; i++) {
            double w = items.weights()[i];
            sum += w * (items.labels()[i] == 1 ? positiveWeight * softPlus(-itemZ[i]) : softPlus(itemZ[i]));
            weights += w;
        }
        return sum / Math.max(1e-9, weights);
    }

    private static double softPlus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /**
     * Weighted binary cross-entropy from log-odds, {@code sum_i w_i (pw y_i softplus(-z_i) + (1 - y_i)
     * softplus(z_i)) / totalWeight}; {@code labels} are 0/1 floats.
     */
    static NDArray loss(NDArray z, NDArray labels, NDArray weights, float positiveWeight, float totalWeight) {
        NDArray pos = Activation.softPlus(z.neg()).mul(labels).mul(positiveWeight);
        NDArray neg = Activation.softPlus(z).mul(labels.neg().add(1f));
        return pos.add(neg).mul(weights).sum().div(totalWeight);
    }
}
