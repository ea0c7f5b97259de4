package io.anomalog.ml.reconstruction;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Provenance;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.features.FeatureRows;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.djl.TorchEngine;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains the LSTM autoencoder on normal time windows (those not labelled anomalous): each window with the ones
 * before it is reconstructed, the loss is the mean squared error of every step (Adam). Training stops when the
 * loss on the validation windows has not fallen for {@code patience} epochs, keeping the best epoch's parameters.
 * The validation windows are the protocol's ({@link #withValidation}) labelled normal, or else a seeded 15 % of
 * the training windows held out. The threshold is then the mean plus k standard deviations of the validation
 * windows' scores; each feature's squared error is first divided by its mean on those same windows (but for
 * {@code score=mse}), and with {@code score=tail} the divided errors' distribution per feature is fitted there
 * too ({@link ErrorTails}), and with {@code persist} that of each feature's smallest error over the last
 * {@code persist} windows (see {@link ReconstructionDetector}).
 */
public final class ReconstructionTrainer implements Trainer {

    private final ReconstructionConfig config;
    private Provenance provenance;
    private List<Sequence> givenValidation = List.of();

    public ReconstructionTrainer(ReconstructionConfig config) {
        this.config = config;
    }

    @Override
    public String method() {
        return ReconstructionProvider.METHOD;
    }

    @Override
    public boolean supervised() {
        return false;
    }

    @Override
    public Trainer withProvenance(Provenance p) {
        this.provenance = p;
        return this;
    }

    @Override
    public Trainer withValidation(List<Sequence> validation) {
        givenValidation = validation.stream().filter(s -> s.label() != Label.ANOMALOUS).toList();
        return this;
    }

    /**
     * The threshold rule: {mean, standard deviation, mean + k standard deviations} of the errors (the standard
     * deviation of the errors as a population, divided by n).
     */
    public static double[] threshold(double[] errors, double k) {
        if (errors.length == 0) {
            throw new AnomalogException("reconstruction: no validation windows to set the threshold on");
        }
        double mean = 0;
        for (double e : errors) {
            mean += e;
        }
        mean /= errors.length;
        double var = 0;
        for (double e : errors) {
            var += (e - mean) * (e - mean);
        }
        double std = Math.sqrt(var / errors.length);
        return new double[]{mean, std, mean + k * std};
    }

    @Override
    public Detector fit(List<Sequence> training, KeyVocabulary vocabulary, Progress progress) {
        long start = System.nanoTime();
        List<Sequence> normal = training.stream().filter(s -> s.label() != Label.ANOMALOUS).toList();
        if (normal.isEmpty()) {
            throw new AnomalogException("reconstruction: no training windows that are not labelled anomalous");
        }
        for (Sequence s : normal) {
            if (!s.hasFeatures()) {
                throw new AnomalogException("reconstruction trains on time windows with feature vectors; sequence "
                        + s.id() + " has none (the protocol services gives them)");
            }
        }
        List<String> names = normal.get(0).features().names();
        List<Sequence> train = normal;
        List<Sequence> val = givenValidation;
        if (val.isEmpty()) {
            List<Sequence> shuffled = new ArrayList<>(normal);
            Collections.shuffle(shuffled, new Random(config.seed()));
            int n = Math.max(1, (int) Math.round(shuffled.size() * 0.15));
            if (shuffled.size() < 2) {
                throw new AnomalogException("reconstruction needs at least two training windows, got "
                        + shuffled.size());
            }
            val = shuffled.subList(0, n);
            train = shuffled.subList(n, shuffled.size());
        }
        ReconstructionDetector.State scaling = scaling(train, names);
        int width = names.size();
        int h = config.history();
        float[] xTrain = ReconstructionDetector.input(train, scaling, h);
        float[] xVal = ReconstructionDetector.input(val, scaling, h);

        Engine engine = TorchEngine.get();
        int previousThreads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(config.threads());
        engine.setRandomSeed((int) config.seed());
        Fit fit;
        try (Model model = Model.newInstance("reconstruction", Device.cpu(), engine.getEngineName())) {
            Block net = ReconstructionNetwork.build(width, config);
            model.setBlock(net);
            fit = train(model, net, xTrain, train.size(), xVal, val.size(), width, progress);
        } finally {
            JniUtils.setNumThreads(previousThreads);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("windows", normal.size());
        summary.put("trainingWindows", train.size());
        summary.put("validationWindows", val.size());
        summary.put("features", width);
        summary.put("epochsRun", fit.epochs);
        summary.put("bestEpoch", fit.bestEpoch);
        summary.put("seed", config.seed());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("trainLoss", fit.trainLoss);
        metrics.put("validationLoss", fit.bestVal);
        ModelManifest draft = ModelManifest.create(ReconstructionProvider.METHOD,
                ReconstructionDetector.METHOD_VERSION, config.asMap(), vocabulary, provenance, summary, metrics);
        ReconstructionDetector plain = new ReconstructionDetector(config, scaling, fit.parameters, draft);
        double[][] squared;
        double[][] held = null;
        try {
            squared = plain.squaredErrors(val, false);
            if (config.persistence() > 0) {
                held = plain.squaredErrors(val, true);
            }
        } finally {
            plain.close();
        }
        double[] scale = errorScale(squared, width, !ReconstructionConfig.MSE.equals(config.score()));
        ErrorTails tails = null;
        ErrorTails persistentTails = null;
        if (ReconstructionConfig.TAIL.equals(config.score())) {
            tails = ErrorTails.fit(divide(squared, scale), width, config.shape());
            if (held != null) {
                persistentTails = ErrorTails.fit(divide(held, scale), width, config.shape());
            }
        }
        scaling = scaling.withErrors(scale, tails, persistentTails);
        ReconstructionDetector d = new ReconstructionDetector(config, scaling, fit.parameters, draft);
        try {
            double[] t = threshold(d.errors(val), config.k());
            summary.put("validationErrorMean", t[0]);
            summary.put("validationErrorStd", t[1]);
            summary.put("threshold", t[2]);
            summary.put("seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
            ModelManifest manifest = ModelManifest.create(ReconstructionProvider.METHOD,
                    ReconstructionDetector.METHOD_VERSION, config.asMap(), vocabulary, provenance, summary, metrics);
            progress.finish();
            return d.withState(scaling.withThreshold(t[2], t[0], t[1], val.size()), manifest);
        } finally {
            d.close();
        }
    }

    /**
     * The divisor of each feature's squared error: its mean over the validation windows when normalising (floored
     * at a thousandth of the features' average, so that a feature rebuilt exactly cannot make any deviation
     * infinite), else 1.
     */
    static double[] errorScale(double[][] squaredErrors, int width, boolean normalise) {
        double[] scale = new double[width];
        java.util.Arrays.fill(scale, 1);
        if (!normalise || squaredErrors.length == 0) {
            return scale;
        }
        double[] mean = new double[width];
        for (double[] row : squaredErrors) {
            for (int j = 0; j < width; j++) {
                mean[j] += row[j];
            }
        }
        double all = 0;
        for (int j = 0; j < width; j++) {
            mean[j] /= squaredErrors.length;
            all += mean[j];
        }
        double floor = Math.max(1e-9, all / width / 1000);
        for (int j = 0; j < width; j++) {
            scale[j] = Math.max(mean[j], floor);
        }
        return scale;
    }

    /** The mean and standard deviation of every column over the training windows' own vectors. */
    private static ReconstructionDetector.State scaling(List<Sequence> windows, List<String> names) {
        int width = names.size();
        double[] mean = new double[width];
        double[] sq = new double[width];
        for (Sequence s : windows) {
            FeatureRows f = s.features();
            double[] row = f.last();
            if (row.length != width) {
                throw new AnomalogException("training window " + s.id() + " has " + row.length + " features, not "
                        + width);
            }
            for (int j = 0; j < width; j++) {
                mean[j] += row[j];
                sq[j] += row[j] * row[j];
            }
        }
        double[] std = new double[width];
        for (int j = 0; j < width; j++) {
            mean[j] /= windows.size();
            double var = sq[j] / windows.size() - mean[j] * mean[j];
            std[j] = var > 1e-12 ? Math.sqrt(var) : 1;
        }
        return new ReconstructionDetector.State(ReconstructionDetector.STATE_FORMAT, names, mean, std,
                Double.POSITIVE_INFINITY, 0, 0, 0, ones(width), null, null);
    }

    private static double[][] divide(double[][] errors, double[] scale) {
        for (double[] row : errors) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= scale[j];
            }
        }
        return errors;
    }

    private static double[] ones(int width) {
        double[] a = new double[width];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    private record Fit(byte[] parameters, int epochs, int bestEpoch, double trainLoss, double bestVal) {
    }

    private Fit train(Model model, Block net, float[] xTrain, int nTrain, float[] xVal, int nVal, int width,
                      Progress progress) {
        int h = config.history();
        int step = h * width;
        DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) config.lr())).build())
                .optDevices(new Device[]{Device.cpu()});
        Random shuffle = new Random(config.seed());
        try (ai.djl.training.Trainer trainer = model.newTrainer(tc)) {
            trainer.initialize(ReconstructionNetwork.inputShape(Math.min(config.batch(), nTrain), width, config));
            progress.start("training reconstruction", config.epochs());
            int[] order = new int[nTrain];
            for (int i = 0; i < nTrain; i++) {
                order[i] = i;
            }
            byte[] best = snapshot(net);
            double bestVal = Double.POSITIVE_INFINITY;
            double lastTrain = Double.NaN;
            int bestEpoch = 0;
            int epoch = 0;
            while (epoch < config.epochs()) {
                epoch++;
                for (int i = order.length - 1; i > 0; i--) {
                    int j = shuffle.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                double sum = 0;
                for (int from = 0; from < nTrain; from += config.batch()) {
                    int n = Math.min(config.batch(), nTrain - from);
                    float[] x = new float[n * step];
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(xTrain, order[from + i] * step, x, i * step, step);
                    }
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray in = scope.create(x, new Shape(n, h, width));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray out = trainer.forward(new NDList(in)).singletonOrThrow();
                            NDArray loss = out.sub(in).square().mean();
                            gc.backward(loss);
                            sum += loss.getFloat() * n;
                        }
                        trainer.step();
                    }
                }
                lastTrain = sum / nTrain;
                double valLoss = loss(trainer, xVal, nVal, h, width);
                if (valLoss < bestVal) {
                    bestVal = valLoss;
                    bestEpoch = epoch;
                    best = snapshot(net);
                }
                progress.advance(1);
                progress.status(String.format(Locale.ROOT, "epoch %d/%d loss %.4f val %.4f", epoch, config.epochs(),
                        lastTrain, valLoss));
                if (epoch - bestEpoch >= config.patience()) {
                    break;
                }
            }
            return new Fit(best, epoch, bestEpoch, lastTrain, bestVal);
        }
    }

    /** Mean squared error over all steps of the validation windows. */
    private static double loss(ai.djl.training.Trainer trainer, float[] x, int n, int h, int width) {
        int step = h * width;
        int chunk = 4096;
        double sum = 0;
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            float[] part = new float[m * step];
            System.arraycopy(x, from * step, part, 0, m * step);
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray in = scope.create(part, new Shape(m, h, width));
                NDArray out = trainer.evaluate(new NDList(in)).singletonOrThrow();
                sum += out.sub(in).square().mean().getFloat() * m;
            }
        }
        return sum / n;
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
}
