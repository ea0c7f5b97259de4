package io.anomalog.ml.deeplog;

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
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.djl.TorchEngine;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Trains the DeepLog log-key model on normal sessions: every window of h keys predicts the key after it
 * (cross-entropy over the key classes, Adam). Sessions labelled anomalous are left out. A seeded share of the
 * sessions is held out, and training stops when the loss on their windows has not improved for {@code patience}
 * epochs; the parameters of the best epoch are kept.
 *
 * <p>The vocabulary is the set of keys in the training sessions, not the one passed in: a key the model never
 * saw in normal data has no meaningful prediction and is an anomaly by definition.
 */
public final class DeepLogTrainer implements Trainer {

    /** An epoch improves on the best when its validation loss is lower by this share (0.2%). */
    private static final double MIN_IMPROVEMENT = 0.002;
    private final DeepLogConfig config;
    private final io.anomalog.ml.deeplog.parameter.ParameterConfig parameterConfig;
    private final io.anomalog.ml.deeplog.workflow.WorkflowSettings workflowSettings;
    private final Map<String, Object> hyperParameters;
    private final Map<Integer, String> templateTexts = new HashMap<>();
    private Provenance provenance;
    private List<Sequence> givenValidation = List.of();

    public DeepLogTrainer(Params params) {
        this.config = DeepLogConfig.from(params);
        this.parameterConfig = io.anomalog.ml.deeplog.parameter.ParameterConfig.from(params);
        this.workflowSettings = io.anomalog.ml.deeplog.workflow.WorkflowSettings.from(params);
        params.checkAllUsed(DeepLogProvider.METHOD);
        this.hyperParameters = config.asMap();
    }

    /** The log-key model alone (no parameter-value models). */
    public DeepLogTrainer(DeepLogConfig config) {
        this(config, null);
    }

    /** The log-key model and, when {@code parameters} is given and enabled, the parameter-value models. */
    public DeepLogTrainer(DeepLogConfig config, io.anomalog.ml.deeplog.parameter.ParameterConfig parameters) {
        this.config = config;
        this.parameterConfig = parameters;
        this.workflowSettings = parameters == null ? null : io.anomalog.ml.deeplog.workflow.WorkflowSettings.defaults();
        this.hyperParameters = config.asMap();
    }

    @Override
    public String method() {
        return DeepLogProvider.METHOD;
    }

    @Override
    public boolean supervised() {
        return false;
    }

    @Override
    public Trainer withTemplateTexts(Map<Integer, String> texts) {
        templateTexts.putAll(texts);
        return this;
    }

    @Override
    public Trainer withValidation(List<Sequence> validation) {
        givenValidation = validation.stream().filter(s -> s.label() != Label.ANOMALOUS && s.length() > 0).toList();
        return this;
    }

    @Override
    public DeepLogTrainer withProvenance(Provenance p) {
        this.provenance = p;
        return this;
    }

    @Override
    public Detector fit(List<Sequence> training, KeyVocabulary ignored, Progress progress) {
        long start = System.nanoTime();
        List<Sequence> normal = training.stream()
                .filter(s -> s.label() != Label.ANOMALOUS && s.length() > 0).toList();
        if (normal.isEmpty()) {
            throw new AnomalogException("deeplog: no normal training sessions");
        }
        KeyVocabulary vocabulary = KeyVocabulary.of(normal);
        if (vocabulary.size() == 0) {
            throw new AnomalogException("deeplog: the training sessions contain no log keys");
        }
        KeyTokens tokens = new KeyTokens(vocabulary);
        Map<Integer, String> texts = new HashMap<>(templateTexts);
        for (Sequence s : normal) {
            for (ParsedEvent e : s.events()) {
                texts.putIfAbsent(e.templateId(), e.template());
            }
        }
        texts.keySet().retainAll(new TreeSet<>(vocabulary.rawKeys()));

        List<Sequence> shuffled = new ArrayList<>(normal);
        Collections.shuffle(shuffled, new Random(config.seed()));
        int nVal = !givenValidation.isEmpty() || shuffled.size() < 10 ? 0
                : (int) Math.round(shuffled.size() * config.validation());
        List<Sequence> validationSessions = givenValidation.isEmpty() ? shuffled.subList(0, nVal) : givenValidation;
        if ((config.autoTopG() || config.autoThreshold()) && validationSessions.isEmpty()) {
            throw new AnomalogException("deeplog: topG=auto / threshold=auto need held-out validation sessions "
                    + "(validation > 0 and at least 10 training sessions)");
        }
        Windows val = Windows.of(validationSessions, tokens, config.history());
        List<Sequence> trainingSessions = capped(shuffled.subList(nVal, shuffled.size()));
        Windows train = Windows.of(trainingSessions, tokens, config.history());

        Engine engine = TorchEngine.get(); // loads the native library before any JniUtils call
        int previousThreads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(config.threads());
        engine.setRandomSeed((int) config.seed());
        Result r;
        try (Model model = Model.newInstance("deeplog", Device.cpu(), engine.getEngineName())) {
            Block net = DeepLogNetwork.build(tokens.classes(), config);
            model.setBlock(net);
            r = train(model, net, train, val, tokens.classes(), progress);
        } finally {
            JniUtils.setNumThreads(previousThreads);
        }
        double secs = (System.nanoTime() - start) / 1e9;

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sessions", normal.size());
        summary.put("events", normal.stream().mapToLong(Sequence::length).sum());
        summary.put("trainingSessions", trainingSessions.size());
        if (config.maxWindows() > 0) {
            summary.put("trainingSessionsBeforeCap", shuffled.size() - nVal);
        }
        summary.put("validationSessions", givenValidation.isEmpty() ? nVal : givenValidation.size());
        summary.put("trainingWindows", train.total());
        summary.put("distinctTrainingWindows", train.size());
        summary.put("validationWindows", val.total());
        summary.put(DeepLogDetector.NEXT_KEYS, train.nextRawKeys(tokens));
        summary.put(DeepLogDetector.SESSION_END_LEARNED, train.predictsToken(tokens.pad()));
        summary.put("epochsRun", r.epochs);
        summary.put("bestEpoch", r.bestEpoch);
        summary.put("learningRateCuts", r.drops);
        summary.put("seconds", Math.round(secs * 10) / 10.0);
        summary.put("seed", config.seed());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("trainLoss", r.trainLoss);
        if (val.size() > 0) {
            metrics.put("validationLoss", r.bestValLoss);
        }
        // under-fitting check: the best parameters on the training windows against the best any model can do
        // (predicting, for each history, the empirical distribution of its next key)
        metrics.put("trainLossOfBestEpoch", r.bestTrainLoss);
        metrics.put("trainLossFloor", train.conditionalEntropy());
        metrics.put("trainTop1Accuracy", r.bestTrainTop1);
        metrics.put("trainTop1AccuracyCeiling", train.top1Ceiling());
        ModelManifest manifest = ModelManifest.create(DeepLogProvider.METHOD, DeepLogDetector.METHOD_VERSION,
                hyperParameters, vocabulary, provenance, summary, metrics);
        DeepLogDetector detector = DeepLogDetector.of(resolvedRule(config), vocabulary, texts, r.parameters, manifest,
                ReplaySample.of(train, tokens, config.history(), ReplaySample.DEFAULT_SIZE, config.seed()));
        if (!validationSessions.isEmpty()) {
            try {
                detector = calibrate(detector, validationSessions, summary, hyperParameters, metrics, vocabulary);
            } catch (RuntimeException e) {
                detector.close();
                throw e;
            }
        }
        progress.finish();
        return withParameterModels(detector, normal, texts, progress);
    }

    /**
     * The key model with parameter-value models trained on the normal sessions' events and workflows built from
     * them, when the sessions have events (raw text) and neither is switched off; workflows also from key files
     * when {@code workflows=true} is given.
     */
    private Detector withParameterModels(DeepLogDetector detector, List<Sequence> normal, Map<Integer, String> texts,
                                         Progress progress) {
        boolean events = normal.stream().anyMatch(Sequence::hasEvents);
        io.anomalog.ml.deeplog.parameter.ParameterModel parameters = null;
        io.anomalog.ml.deeplog.workflow.Workflows workflows = null;
        try {
            if (parameterConfig != null && parameterConfig.enabled() && events) {
                parameters = new io.anomalog.ml.deeplog.parameter.ParameterTrainer(parameterConfig)
                        .fit(normal, texts, progress);
            }
            if (workflowSettings != null && workflowSettings.wanted(events)) {
                workflows = workflowSettings.build(detector, normal);
            }
        } catch (RuntimeException e) {
            detector.close();
            if (parameters != null) {
                parameters.close();
            }
            throw e;
        }
        if (parameters == null && workflows == null) {
            return detector;
        }
        ModelManifest manifest = DeepLogModels.manifestWith(detector.manifest(), parameters,
                parameterConfig == null ? Map.of() : parameterConfig.asMap(), workflows);
        DeepLogDetector keys = detector.withRule(detector.config(), manifest);
        detector.close();
        return new DeepLogModels(keys, parameters, workflows);
    }

    /** A configuration the detector can judge with before calibration (auto values stand at their defaults). */
    private static DeepLogConfig resolvedRule(DeepLogConfig c) {
        return c.autoThreshold() ? c.withThreshold(Math.nextDown(1.0)) : c.autoTopG() ? c.withTopG(c.topG()) : c;
    }

    /**
     * Scores the held-out normal sessions, records in the manifest how many each rule would flag, and fixes the
     * rule that {@code topG=auto} / {@code threshold=auto} asked for (the manifest then stores the chosen value).
     */
    private DeepLogDetector calibrate(DeepLogDetector detector, List<Sequence> validation, Map<String, Object> summary,
                                      Map<String, Object> hyper, Map<String, Object> metrics,
                                      KeyVocabulary vocabulary) {
        List<SessionSurprise> surprises = detector.surprises(validation);
        Map<String, Object> calibration = Calibration.summary(surprises, config.target(), detector.classes());
        DeepLogConfig rule = config;
        if (config.autoThreshold()) {
            rule = config.withThreshold((Double) calibration.get("calibratedThreshold"));
        } else if (config.autoTopG()) {
            rule = config.withTopG((Integer) calibration.get("calibratedTopG"));
        }
        calibration.put("ruleRequested", config.rule());
        calibration.put("ruleUsed", rule.rule());
        Map<String, Object> newSummary = new LinkedHashMap<>(summary);
        newSummary.put("calibration", calibration);
        Map<String, Object> newHyper = new LinkedHashMap<>(hyper);
        newHyper.put("topG", rule.topG());
        newHyper.put("threshold", rule.threshold());
        ModelManifest manifest = ModelManifest.create(DeepLogProvider.METHOD, DeepLogDetector.METHOD_VERSION,
                newHyper, vocabulary, provenance, newSummary, metrics);
        try {
            return detector.withRule(rule, manifest);
        } finally {
            detector.close();   // the calibrated detector has its own copy of the network
        }
    }

    /** The sessions (already in seeded random order) whose windows fit under {@code maxWindows}. */
    private List<Sequence> capped(List<Sequence> sessions) {
        if (config.maxWindows() <= 0) {
            return sessions;
        }
        long windows = 0;
        int n = 0;
        for (Sequence s : sessions) {
            long w = Math.max(s.length(), config.history() + 1) - config.history();
            if (windows + w > config.maxWindows()) {
                break;
            }
            windows += w;
            n++;
        }
        return sessions.subList(0, Math.max(1, n));
    }

    private record Result(byte[] parameters, int epochs, int bestEpoch, int drops, double trainLoss,
                          double bestValLoss, double bestTrainLoss, double bestTrainTop1) {
    }

    private static void loadParameters(Block net, NDManager manager, byte[] parameters) {
        try {
            net.loadParameters(manager, new java.io.DataInputStream(new java.io.ByteArrayInputStream(parameters)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ai.djl.MalformedModelException e) {
            throw new IllegalStateException(e);
        }
    }

    private Result train(Model model, Block net, Windows train, Windows val, int classes, Progress progress) {
        // the loss is computed here (weighted by window counts); the configured one is never used
        LearningRate lr = new LearningRate((float) config.lr());
        DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).build())
                .optDevices(new Device[]{Device.cpu()});
        Random shuffle = new Random(config.seed());
        int h = config.history();
        try (ai.djl.training.Trainer trainer = model.newTrainer(tc)) {
            trainer.initialize(DeepLogNetwork.inputShape(Math.min(config.batch(), Math.max(1, train.size())), config));
            progress.start("training deeplog", config.epochs());
            byte[] best = snapshot(net);
            double bestVal = Double.POSITIVE_INFINITY;
            double lastTrain = Double.NaN;
            int bestEpoch = 0;
            int epoch = 0;
            int drops = 0;
            int plateauStart = 0; // improvement is counted from here: the best epoch or the last cut
            double meanBatchWeight = train.size() == 0 ? 1 : (double) train.total() / train.size();
            int[] order = new int[train.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            while (epoch < config.epochs()) {
                epoch++;
                shuffle(order, shuffle);
                double sum = 0;
                for (int from = 0; from < order.length; from += config.batch()) {
                    int n = Math.min(config.batch(), order.length - from);
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray x = scope.create(train.histories(order, from, n), new Shape(n, h));
                        NDArray y = scope.create(train.nextKeys(order, from, n));
                        NDArray w = scope.create(train.weights(order, from, n));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                            // divided by the expected weight of a batch, not this batch's: a batch of frequent
                            // windows then pulls as hard as those windows do in the full data, and an epoch's
                            // gradients add up to the gradient of the mean loss over all windows
                            NDArray loss = weightedCrossEntropySum(logits, y, w, classes).div((float) (meanBatchWeight * n));
                            gc.backward(loss);
                            sum += loss.getFloat() * meanBatchWeight * n;
                        }
                        trainer.step();
                    }
                }
                lastTrain = train.total() == 0 ? 0 : sum / train.total();
                double valLoss = val.size() == 0 ? lastTrain : loss(trainer, val, h, classes)[0];
                if (valLoss < bestVal * (1 - MIN_IMPROVEMENT)) {
                    bestVal = valLoss;
                    bestEpoch = epoch;
                    best = snapshot(net);
                }
                progress.advance(1);
                progress.status(String.format(Locale.ROOT, "epoch %d/%d loss %.4f%s", epoch, config.epochs(),
                        lastTrain, val.size() == 0 ? "" : String.format(Locale.ROOT, " val %.4f", valLoss)));
                if (epoch - Math.max(bestEpoch, plateauStart) >= config.patience()) {
                    if (drops == config.lrDrops()) {
                        break;
                    }
                    // a plateau at this step size: smaller steps usually go on descending (the loss on the
                    // training windows is still well above its floor when the first plateau comes)
                    drops++;
                    lr.value *= (float) config.lrDecay();
                    plateauStart = epoch;
                }
            }
            // how well the kept (best) parameters fit the training windows, against the best any model could do
            loadParameters(net, trainer.getManager(), best);
            double[] fit = loss(trainer, train, h, classes);
            return new Result(best, epoch, bestEpoch, drops, lastTrain, bestVal, fit[0], fit[1]);
        }
    }

    /** Mean cross-entropy and top-1 accuracy over all windows (repeats counted), in large chunks. */
    private static double[] loss(ai.djl.training.Trainer trainer, Windows windows, int h, int classes) {
        int[] all = new int[windows.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        double sum = 0;
        double correct = 0;
        int chunk = 8192;
        for (int from = 0; from < all.length; from += chunk) {
            int n = Math.min(chunk, all.length - from);
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = scope.create(windows.histories(all, from, n), new Shape(n, h));
                NDArray y = scope.create(windows.nextKeys(all, from, n));
                NDArray w = scope.create(windows.weights(all, from, n));
                NDArray logits = trainer.evaluate(new NDList(x)).singletonOrThrow();
                sum += weightedCrossEntropySum(logits, y, w, classes).getFloat();
                correct += logits.argMax(1).eq(y).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mul(w).sum()
                        .getFloat();
            }
        }
        return new double[]{sum / windows.total(), correct / windows.total()};
    }

    /** Cross-entropy summed over the windows of a batch, each distinct window counted as often as it occurs. */
    private static NDArray weightedCrossEntropySum(NDArray logits, NDArray next, NDArray weights, int classes) {
        NDArray logp = logits.logSoftmax(1);
        NDArray perWindow = logp.mul(next.oneHot(classes)).sum(new int[]{1}).neg();
        return perWindow.mul(weights).sum();
    }

    /** Adam's step size, cut by the loop when the validation loss reaches a plateau. */
    static final class LearningRate implements Tracker {
        float value;

        LearningRate(float value) {
            this.value = value;
        }

        @Override
        public float getNewValue(int numUpdate) {
            return value;
        }
    }

    static byte[] snapshot(Block net) {
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

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
