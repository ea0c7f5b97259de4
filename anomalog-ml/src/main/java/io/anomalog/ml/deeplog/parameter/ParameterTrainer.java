package io.anomalog.ml.deeplog.parameter;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.djl.TorchEngine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains the parameter-value models on the events of normal sequences. Per key with a vector layout (see
 * {@link KeyLayout}): its prediction problems (see {@link KeySeries}) in a seeded random order; a key with fewer
 * than {@code minVectors} gets a per-dimension Gaussian; otherwise a {@code validation} share is held out, an LSTM
 * learns the rest (at most {@code maxVectors}) with mean squared error and Adam, training stops when the held-out
 * loss has not improved for {@code patience} epochs (the best epoch's parameters are kept), and the held-out
 * errors are fitted with a Gaussian. Keys train in parallel on {@code threads} Java threads, each PyTorch call with
 * one intra-op thread.
 */
public final class ParameterTrainer {

    private static final double MIN_IMPROVEMENT = 0.002;
    /** Share of the held-out errors' bound a marked error must be within for the update to stop. */
    private static final double MARGIN = 0.5;
    private final ParameterConfig config;

    public ParameterTrainer(ParameterConfig config) {
        this.config = config;
    }

    /** The models, or null when no key of the sequences has a parameter vector. */
    public ParameterModel fit(List<Sequence> training, Map<Integer, String> templates, Progress progress) {
        List<Sequence> normal = training.stream().filter(s -> s.label() != Label.ANOMALOUS && s.hasEvents()).toList();
        Map<Integer, KeyLayout> layouts = KeyLayout.learn(normal);
        if (layouts.isEmpty()) {
            return null;
        }
        Map<Integer, List<KeySeries.Step>> steps = new TreeMap<>();
        for (Sequence s : normal) {
            for (KeyLayout layout : layouts.values()) {
                if (contains(s.keys(), layout.key())) {
                    steps.computeIfAbsent(layout.key(), k -> new ArrayList<>())
                            .addAll(KeySeries.of(s, layout, config.history()));
                }
            }
        }
        Engine engine = TorchEngine.get();
        int previousThreads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        engine.setRandomSeed((int) config.seed());
        progress.start("training deeplog parameter models", layouts.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(config.threads(), layouts.size())),
                r -> {
                    Thread t = new Thread(r, "deeplog-parameters");
                    t.setDaemon(true);
                    return t;
                });
        Map<Integer, KeyModel> models = new TreeMap<>();
        Map<Integer, KeySample> samples = new TreeMap<>();
        try {
            Map<Integer, Future<Trained>> futures = new TreeMap<>();
            for (KeyLayout layout : layouts.values()) {
                List<KeySeries.Step> own = steps.getOrDefault(layout.key(), List.of());
                futures.put(layout.key(), pool.submit(() -> {
                    Trained m = trainKey(layout, own);
                    synchronized (progress) {
                        progress.advance(1);
                    }
                    return m;
                }));
            }
            for (var f : futures.entrySet()) {
                Trained t = f.getValue().get();
                models.put(f.getKey(), t.model());
                if (t.sample() != null) {
                    samples.put(f.getKey(), t.sample());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnomalogException("deeplog: parameter training interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new AnomalogException("deeplog: " + c.getMessage(), c);
        } finally {
            pool.shutdownNow();
            JniUtils.setNumThreads(previousThreads);
        }
        progress.finish();
        return new ParameterModel(config.history(), config.hidden(), config.confidence(), layouts, models, templates,
                config.lr(), samples);
    }

    private static boolean contains(int[] keys, int key) {
        for (int k : keys) {
            if (k == key) {
                return true;
            }
        }
        return false;
    }

    /** A key's model and, for an LSTM, the windows it keeps for the online update. */
    record Trained(KeyModel model, KeySample sample) {
    }

    /** One key's model (runs on a pool thread). */
    Trained trainKey(KeyLayout layout, List<KeySeries.Step> all) {
        // a key seen at most once per sequence has no history to predict from: an LSTM could only learn its mean
        boolean anyHistory = all.stream().anyMatch(KeySeries.Step::hasHistory);
        if (all.size() < config.minVectors() || !anyHistory) {
            return new Trained(new KeyModel(layout.key(), KeyModel.GAUSSIAN, all.size(), 0, null, null, null, null, null,
                    null), null);
        }
        List<KeySeries.Step> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(config.seed() * 31 + layout.key()));
        int nVal = Math.max(1, (int) Math.round(shuffled.size() * config.validation()));
        List<KeySeries.Step> val = shuffled.subList(0, nVal);
        List<KeySeries.Step> train = shuffled.subList(nVal, Math.min(shuffled.size(), nVal + config.maxVectors()));
        int d = layout.dimensions();
        int h = config.history();
        LearningRate lr = new LearningRate((float) config.lr());
        DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build())
                .optDevices(new Device[]{Device.cpu()});
        Random order = new Random(config.seed() + layout.key());
        try (Model model = Model.newInstance("deeplog-parameters-" + layout.key(), Device.cpu(), "PyTorch")) {
            Block net = ParameterNetwork.build(d, config.hidden());
            model.setBlock(net);
            try (ai.djl.training.Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(ParameterNetwork.inputShape(Math.min(config.batch(), train.size()), h, d));
                byte[] best = snapshot(net);
                double bestLoss = Double.POSITIVE_INFINITY;
                int bestEpoch = 0;
                int epoch = 0;
                int[] idx = new int[train.size()];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = i;
                }
                while (epoch < config.epochs()) {
                    epoch++;
                    shuffle(idx, order);
                    for (int from = 0; from < idx.length; from += config.batch()) {
                        int n = Math.min(config.batch(), idx.length - from);
                        try (NDManager scope = trainer.getManager().newSubManager()) {
                            NDArray x = scope.create(histories(train, idx, from, n, h, d), new Shape(n, h, d + 1));
                            NDArray y = scope.create(targets(train, idx, from, n, d), new Shape(n, d));
                            // DJL's gradient collector is one per process, so keys training in parallel run
                            // autograd themselves: grad mode is per thread in PyTorch
                            JniUtils.setGradMode(true);
                            NDArray p = trainer.forward(new NDList(x)).singletonOrThrow();
                            NDArray loss = p.sub(y).square().mean();
                            JniUtils.backward((PtNDArray) loss, (PtNDArray) scope.ones(loss.getShape()), false, false);
                            JniUtils.setGradMode(false);
                            trainer.step();
                            zeroGradients(net);
                        }
                    }
                    double valLoss = mean(errors(trainer, val, null, h, d).errors);
                    if (valLoss < bestLoss * (1 - MIN_IMPROVEMENT)) {
                        bestLoss = valLoss;
                        bestEpoch = epoch;
                        best = snapshot(net);
                    } else if (epoch - bestEpoch >= config.patience()) {
                        break;
                    }
                }
                load(net, trainer.getManager(), best);
                // the Gaussian is fitted on the whole held-out errors; scoring counts a time error only beyond the
                // timestamps' resolution, so an error within it never passes a bound that was fitted with it
                Errors e = errors(trainer, val, null, h, d);
                Gaussian g = Gaussian.fit(e.errors);
                return new Trained(new KeyModel(layout.key(), KeyModel.LSTM, train.size(), val.size(), g.mean(), g.sd(),
                        e.residualSd, epoch, bestEpoch, Base64.getEncoder().encodeToString(best)),
                        KeySample.of(layout.key(), train, val));
            }
        }
    }

    /**
     * The result of fine-tuning one LSTM key: its new parameters, the steps taken, and the errors (whole, as the
     * Gaussian is fitted on them) of the held-out and marked windows, the marked ones also as scoring counts them.
     */
    record Tuned(byte[] network, int steps, double[] validationErrors, double[] markedErrors,
                 double[] markedScored) {
    }

    /**
     * Fine-tunes a copy of a key's network (Adam at {@code lr}) on the marked windows, each step on all of them
     * together with {@code replayBatch} windows drawn from {@code replay} (the two halves of the loss weigh the
     * same); after {@code minSteps}, it stops as soon as every marked window's error is within half the bound
     * of the Gaussian of the held-out windows' errors, at most {@code maxSteps}.
     */
    static Tuned fineTune(KeyLayout layout, Block source, int history, int hidden, double lr, double confidence,
                          List<KeySeries.Step> marked, List<KeySeries.Step> replay, List<KeySeries.Step> validation,
                          int minSteps, int maxSteps, int replayBatch, long seed) {
        int d = layout.dimensions();
        int h = history;
        DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(new LearningRate((float) lr)).build())
                .optDevices(new Device[]{Device.cpu()});
        Random random = new Random(seed + layout.key());
        try (Model model = Model.newInstance("deeplog-parameters-update-" + layout.key(), Device.cpu(), "PyTorch")) {
            Block net = ParameterNetwork.build(d, hidden);
            // the parameters are in place before the trainer exists: its parameter store keeps the arrays it
            // first saw
            net.setInitializer(new ai.djl.training.initializer.XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT);
            net.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    ParameterNetwork.inputShape(1, h, d));
            load(net, model.getNDManager(), snapshot(source));
            model.setBlock(net);
            try (ai.djl.training.Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(ParameterNetwork.inputShape(1, h, d));
                int steps = 0;
                while (true) {
                    double[] val = errors(trainer, validation, null, h, d).errors;
                    double[] mk = errors(trainer, marked, null, h, d).errors;
                    double[] scored = errors(trainer, marked, layout, h, d).errors;
                    // learned when the marked errors are within half the bound of the held-out errors alone:
                    // vectors like the marked ones, not only they, then pass the bound kept (refitted with the
                    // marked errors too)
                    double bound = Gaussian.fit(val.length > 0 ? val : mk).upperBound(confidence);
                    boolean pass = true;
                    for (double e : scored) {
                        pass &= e <= MARGIN * bound;
                    }
                    if ((pass && steps >= minSteps) || steps >= maxSteps) {
                        return new Tuned(snapshot(net), steps, val, mk, scored);
                    }
                    List<KeySeries.Step> batch = new ArrayList<>(marked);
                    for (int i = 0; i < replayBatch && !replay.isEmpty(); i++) {
                        batch.add(replay.get(random.nextInt(replay.size())));
                    }
                    int[] idx = new int[batch.size()];
                    for (int i = 0; i < idx.length; i++) {
                        idx[i] = i;
                    }
                    int n = idx.length;
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray x = scope.create(histories(batch, idx, 0, n, h, d), new Shape(n, h, d + 1));
                        NDArray y = scope.create(targets(batch, idx, 0, n, d), new Shape(n, d));
                        JniUtils.setGradMode(true);
                        NDArray p = trainer.forward(new NDList(x)).singletonOrThrow();
                        // the marked windows weigh as much as the replayed ones together, so a few of them move the
                        // model while the replay keeps it where the training data had it
                        NDArray sq = p.sub(y).square();
                        int m = marked.size();
                        NDArray loss = sq.get("0:" + m).mean();
                        if (n > m) {
                            loss = loss.add(sq.get(m + ":").mean());
                        }
                        JniUtils.backward((PtNDArray) loss, (PtNDArray) scope.ones(loss.getShape()), false, false);
                        JniUtils.setGradMode(false);
                        trainer.step();
                        zeroGradients(net);
                    }
                    steps++;
                }
            }
        }
    }

    private record Errors(double[] errors, double[] residualSd) {
    }

    /**
     * Mean squared error of each held-out vector, and the root mean square residual of each dimension; with a
     * layout, residuals beyond its resolution only, as scoring counts them.
     */
    private static Errors errors(ai.djl.training.Trainer trainer, List<KeySeries.Step> steps, KeyLayout layout, int h,
                                 int d) {
        double[] errors = new double[steps.size()];
        double[] sq = new double[d];
        int[] idx = new int[steps.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        int chunk = 4096;
        for (int from = 0; from < idx.length; from += chunk) {
            int n = Math.min(chunk, idx.length - from);
            float[] p;
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = scope.create(histories(steps, idx, from, n, h, d), new Shape(n, h, d + 1));
                p = trainer.evaluate(new NDList(x)).singletonOrThrow().toFloatArray();
            }
            for (int i = 0; i < n; i++) {
                double[] t = steps.get(from + i).target();
                double e = 0;
                for (int k = 0; k < d; k++) {
                    double r = t[k] - p[i * d + k];
                    if (layout != null) {
                        r = layout.beyondResolution(k, r);
                    }
                    e += r * r / d;
                    sq[k] += r * r;
                }
                errors[from + i] = e;
            }
        }
        double[] rms = new double[d];
        for (int k = 0; k < d; k++) {
            // a residual within the resolution counts as none, so one resolution step is the least deviation
            double step = layout == null ? 0 : layout.resolution()[k] / layout.scale()[k];
            rms[k] = Math.max(Math.max(Math.sqrt(sq[k] / Math.max(1, steps.size())), step), 1e-6);
        }
        return new Errors(errors, rms);
    }

    private static float[] histories(List<KeySeries.Step> steps, int[] idx, int from, int n, int h, int d) {
        int width = h * (d + 1);
        float[] out = new float[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(steps.get(idx[from + i]).history(), 0, out, i * width, width);
        }
        return out;
    }

    private static float[] targets(List<KeySeries.Step> steps, int[] idx, int from, int n, int d) {
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            double[] t = steps.get(idx[from + i]).target();
            for (int k = 0; k < d; k++) {
                out[i * d + k] = (float) t[k];
            }
        }
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void zeroGradients(Block net) {
        for (var p : net.getParameters().values()) {
            NDArray a = p.getArray();
            if (a.hasGradient()) {
                NDArray g = a.getGradient();
                g.subi(g);
            }
        }
    }

    private static byte[] snapshot(Block net) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            net.saveParameters(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void load(Block net, NDManager manager, byte[] parameters) {
        try {
            net.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(parameters)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ai.djl.MalformedModelException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fixed step size for Adam. */
    private static final class LearningRate implements Tracker {
        final float value;

        LearningRate(float value) {
            this.value = value;
        }

        @Override
        public float getNewValue(int numUpdate) {
            return value;
        }
    }
}
