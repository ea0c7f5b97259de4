package io.anomalog.ml.deeplog;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.PairList;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Provenance;
import io.anomalog.core.detect.Updatable;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.djl.TorchEngine;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * DeepLog's online update: a copy of the key model learns that some flagged sessions are normal, without a
 * retrain. Keys the marked sessions hold and the model never saw (a template that came with an upgrade) join the
 * vocabulary: the network grows by their input columns and output rows, and every weight the model had is kept
 * where its key now sits. The copy is then fine-tuned (Adam) on the marked sessions' windows together with the
 * replay sample of the training windows kept with the model, one step on each batch, until every marked window
 * is predicted within the decision rule (top-g or probability threshold), after a minimum of steps, or the step
 * budget runs out.
 *
 * <p>Forgetting is measured on the replay sample: the share of its windows (by count) that the rule judges
 * unexpected, before and after.
 */
final class DeepLogUpdate {

    private static final int CHECK_EVERY = 2;

    private DeepLogUpdate() {
    }

    static Updatable.Updated learn(DeepLogDetector parent, List<Sequence> marked, Provenance provenance,
                                   Updatable.Settings settings, Progress progress) {
        long start = System.nanoTime();
        List<Sequence> sessions = marked.stream().filter(s -> s.length() > 0).toList();
        if (sessions.isEmpty()) {
            throw new AnomalogException("deeplog update: the marked sessions hold no events to learn from");
        }
        DeepLogConfig config = parent.config();
        int h = config.history();
        KeyTokens oldTokens = parent.tokens();
        KeyVocabulary oldVocabulary = oldTokens.vocabulary();
        TreeSet<Integer> keys = new TreeSet<>(oldVocabulary.rawKeys());
        List<Integer> added = new ArrayList<>();
        for (Sequence s : sessions) {
            for (int k : s.keys()) {
                if (keys.add(k)) {
                    added.add(k);
                }
            }
        }
        added.sort(null);
        KeyVocabulary vocabulary = new KeyVocabulary(keys);
        KeyTokens tokens = new KeyTokens(vocabulary);
        int[] tokenMap = new int[oldTokens.classes()];
        for (int t = 1; t <= oldVocabulary.size(); t++) {
            tokenMap[t] = vocabulary.indexOf(oldVocabulary.keyAt(t));
        }
        tokenMap[oldTokens.pad()] = tokens.pad();

        Windows learned = Windows.of(sessions, tokens, h);
        Windows replay = parent.replay() == null ? null : parent.replay().asWindows(tokens);

        // what the model may predict after the update: what it could before and what the marked windows show
        boolean[] before = new boolean[tokens.classes()];
        List<?> nextKeys = parent.manifest().training().get(DeepLogDetector.NEXT_KEYS) instanceof List<?> l ? l : null;
        TreeSet<Integer> next = new TreeSet<>();
        if (nextKeys == null) {
            for (int t = 1; t <= oldVocabulary.size(); t++) {
                next.add(oldVocabulary.keyAt(t));
            }
        } else {
            nextKeys.forEach(k -> next.add(((Number) k).intValue()));
        }
        boolean endBefore = nextKeys == null
                || Boolean.TRUE.equals(parent.manifest().training().get(DeepLogDetector.SESSION_END_LEARNED));
        for (int k : next) {
            before[vocabulary.indexOf(k)] = true;
        }
        before[KeyTokens.UNKNOWN] = false;
        before[tokens.pad()] = endBefore;
        next.addAll(learned.nextRawKeys(tokens));
        boolean endAfter = endBefore || learned.predictsToken(tokens.pad());
        boolean[] after = new boolean[tokens.classes()];
        for (int k : next) {
            after[vocabulary.indexOf(k)] = true;
        }
        after[tokens.pad()] = endAfter;

        Engine engine = TorchEngine.get();
        int previousThreads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(config.threads());
        engine.setRandomSeed((int) settings.seed());
        byte[] parameters;
        Map<String, Object> report = new LinkedHashMap<>();
        try (Model model = Model.newInstance("deeplog-update", Device.cpu(), engine.getEngineName())) {
            Block net = DeepLogNetwork.build(tokens.classes(), config);
            net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            net.initialize(model.getNDManager(), DataType.FLOAT32, DeepLogNetwork.inputShape(1, config));
            transplant(parent, oldTokens.classes(), tokens.classes(), tokenMap, net, model.getNDManager());
            model.setBlock(net);
            DeepLogTrainer.LearningRate rate = new DeepLogTrainer.LearningRate((float) (settings.learningRate() > 0 ? settings.learningRate() : config.lr()));
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(rate).build())
                    .optDevices(new Device[]{Device.cpu()});
            try (ai.djl.training.Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(DeepLogNetwork.inputShape(1, config));
                double[] replayBefore = replay == null ? null : judge(trainer, replay, config, before);
                Random random = new Random(settings.seed());
                int steps = 0;
                boolean learnedAll = judge(trainer, learned, config, after)[0] == 0;
                progress.start("updating deeplog", settings.maxSteps());
                while ((!learnedAll || steps < settings.minSteps()) && steps < settings.maxSteps()) {
                    step(trainer, learned, replay, settings.replayBatch(), h, tokens.classes(), random);
                    steps++;
                    progress.advance(1);
                    if (steps % CHECK_EVERY == 0 || steps == settings.maxSteps()) {
                        learnedAll = judge(trainer, learned, config, after)[0] == 0;
                    }
                }
                progress.finish();
                double[] replayAfter = replay == null ? null : judge(trainer, replay, config, after);
                parameters = DeepLogTrainer.snapshot(net);
                report.put("sessions", sessions.size());
                report.put("windows", learned.total());
                report.put("distinctWindows", learned.size());
                report.put("keysAdded", added);
                report.put("steps", steps);
                report.put("learnedAll", learnedAll);
                report.put("replayWindows", replay == null ? 0 : replay.size());
                if (replay != null) {
                    // share of the replayed training windows (by count) the rule finds unexpected, and their loss
                    report.put("replayUnexpectedBefore", replayBefore[0]);
                    report.put("replayUnexpectedAfter", replayAfter[0]);
                    report.put("forgetting", replayAfter[0] - replayBefore[0]);
                    report.put("replayLossBefore", replayBefore[1]);
                    report.put("replayLossAfter", replayAfter[1]);
                }
            }
        } finally {
            JniUtils.setNumThreads(previousThreads);
        }
        report.put("seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);

        Map<Integer, String> templates = new HashMap<>(parent.templates());
        for (Sequence s : sessions) {
            for (ParsedEvent e : s.events()) {
                if (e.template() != null) {
                    templates.putIfAbsent(e.templateId(), e.template());
                }
            }
        }
        Map<String, Object> training = new LinkedHashMap<>(parent.manifest().training());
        training.remove("parametersSha256");
        training.put(DeepLogDetector.NEXT_KEYS, List.copyOf(next));
        training.put(DeepLogDetector.SESSION_END_LEARNED, endAfter);
        training.put("update", report);
        ModelManifest manifest = ModelManifest.create(DeepLogProvider.METHOD, DeepLogDetector.METHOD_VERSION,
                parent.manifest().hyperParameters(), vocabulary, provenance, training, parent.manifest().metrics());
        ReplaySample kept = parent.replay() == null ? null : parent.replay().plus(learned, tokens);
        DeepLogDetector detector = DeepLogDetector.of(config, vocabulary, templates, parameters, manifest, kept);
        return new Updatable.Updated(detector, report);
    }

    /**
     * Copies the parent's weights into the grown network: a weight of a token class (an input column of the
     * first layer or an embedding row, an output row and bias) moves to where that class now sits; weights of
     * the classes just added keep their fresh initialisation.
     */
    private static void transplant(DeepLogDetector parent, int oldClasses, int newClasses, int[] tokenMap,
                                   Block target, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            Block source = DeepLogNetwork.build(oldClasses, parent.config());
            source.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            source.initialize(scope, DataType.FLOAT32, DeepLogNetwork.inputShape(1, parent.config()));
            source.loadParameters(scope, new DataInputStream(new ByteArrayInputStream(parent.parameters())));
            PairList<String, Parameter> from = source.getParameters();
            PairList<String, Parameter> to = target.getParameters();
            if (from.size() != to.size()) {
                throw new IllegalStateException("networks differ: " + from.size() + " and " + to.size() + " parameters");
            }
            for (int p = 0; p < from.size(); p++) {
                NDArray a = from.get(p).getValue().getArray();
                NDArray b = to.get(p).getValue().getArray();
                b.set(remap(a.toFloatArray(), a.getShape(), b.toFloatArray(), b.getShape(), oldClasses, newClasses,
                        tokenMap));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ai.djl.MalformedModelException e) {
            throw new AnomalogException("deeplog parameters do not fit the model: " + e.getMessage(), e);
        }
    }

    /** The target values with the source's copied in, the class axis (if any) renumbered by the token map. */
    static float[] remap(float[] src, Shape srcShape, float[] dst, Shape dstShape, int oldClasses, int newClasses,
                         int[] tokenMap) {
        if (srcShape.equals(dstShape)) {
            return src.clone();
        }
        if (srcShape.dimension() != dstShape.dimension()) {
            throw new IllegalStateException("parameter shapes differ: " + srcShape + " and " + dstShape);
        }
        int axis = -1;
        for (int d = 0; d < srcShape.dimension(); d++) {
            if (srcShape.get(d) != dstShape.get(d)) {
                if (axis >= 0 || srcShape.get(d) != oldClasses || dstShape.get(d) != newClasses) {
                    throw new IllegalStateException("parameter shapes differ beyond the classes: " + srcShape
                            + " and " + dstShape);
                }
                axis = d;
            }
        }
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= srcShape.get(d);
        }
        long inner = 1;
        for (int d = axis + 1; d < srcShape.dimension(); d++) {
            inner *= srcShape.get(d);
        }
        float[] out = dst.clone();
        for (long o = 0; o < outer; o++) {
            for (int c = 0; c < oldClasses; c++) {
                System.arraycopy(src, (int) ((o * oldClasses + c) * inner), out,
                        (int) ((o * newClasses + tokenMap[c]) * inner), (int) inner);
            }
        }
        return out;
    }

    /** One Adam step on the mean loss of the marked windows plus the mean loss of a replay batch. */
    private static void step(ai.djl.training.Trainer trainer, Windows learned, Windows replay, int batch, int h,
                             int classes, Random random) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray loss = meanLoss(trainer, scope, learned, all(learned.size()), h, classes);
                if (replay != null && replay.size() > 0) {
                    loss = loss.add(meanLoss(trainer, scope, replay, sample(replay, batch, random), h, classes));
                }
                gc.backward(loss);
            }
            trainer.step();
        }
    }

    private static NDArray meanLoss(ai.djl.training.Trainer trainer, NDManager scope, Windows w, int[] order, int h,
                                    int classes) {
        int n = order.length;
        NDArray x = scope.create(w.histories(order, 0, n), new Shape(n, h));
        NDArray y = scope.create(w.nextKeys(order, 0, n));
        float[] weights = w.weights(order, 0, n);
        double total = 0;
        for (float f : weights) {
            total += f;
        }
        NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
        NDArray perWindow = logits.logSoftmax(1).mul(y.oneHot(classes)).sum(new int[]{1}).neg();
        return perWindow.mul(scope.create(weights)).sum().div((float) total);
    }

    /** A replay batch drawn with probability proportional to the windows' counts (each then weighs 1). */
    private static int[] sample(Windows replay, int batch, Random random) {
        int n = replay.size();
        if (n <= batch) {
            return all(n);
        }
        float[] w = replay.weights(all(n), 0, n);
        double[] cumulative = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += w[i];
            cumulative[i] = sum;
        }
        int[] out = new int[batch];
        for (int i = 0; i < out.length; i++) {
            int j = java.util.Arrays.binarySearch(cumulative, random.nextDouble() * sum);
            out[i] = Math.min(n - 1, j >= 0 ? j : -j - 1);
        }
        return out;
    }

    /**
     * The share of the windows (by count) the decision rule judges unexpected with these predictable classes,
     * and their mean cross-entropy.
     */
    private static double[] judge(ai.djl.training.Trainer trainer, Windows w, DeepLogConfig config,
                                  boolean[] predictable) {
        int n = w.size();
        int[] order = all(n);
        long[] x = w.histories(order, 0, n);
        long[] y = w.nextKeys(order, 0, n);
        float[] weights = w.weights(order, 0, n);
        int h = config.history();
        double unexpected = 0;
        double loss = 0;
        double total = 0;
        int chunk = 8192;
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            float[] logits;
            try (NDManager scope = trainer.getManager().newSubManager()) {
                long[] part = java.util.Arrays.copyOfRange(x, from * h, (from + m) * h);
                logits = trainer.evaluate(new NDList(scope.create(part, new Shape(m, h)))).singletonOrThrow()
                        .toFloatArray();
            }
            int classes = predictable.length;
            for (int i = 0; i < m; i++) {
                int observed = (int) y[from + i];
                double weight = weights[from + i];
                total += weight;
                int off = i * classes;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    if (predictable[c]) {
                        max = Math.max(max, logits[off + c]);
                    }
                }
                double z = 0;
                for (int c = 0; c < classes; c++) {
                    if (predictable[c]) {
                        z += Math.exp(logits[off + c] - max);
                    }
                }
                if (!predictable[observed]) {
                    unexpected += weight;
                    loss += weight * 30; // probability 0, counted as a large but finite loss
                    continue;
                }
                double p = Math.exp(logits[off + observed] - max) / z;
                loss -= weight * Math.log(Math.max(p, 1e-13));
                boolean miss;
                if (config.probabilityRule()) {
                    miss = p < config.threshold();
                } else {
                    int rank = 0;
                    for (int c = 0; c < classes; c++) {
                        if (predictable[c] && (logits[off + c] > logits[off + observed]
                                || (logits[off + c] == logits[off + observed] && c < observed))) {
                            rank++;
                        }
                    }
                    miss = rank >= config.topG();
                }
                if (miss) {
                    unexpected += weight;
                }
            }
        }
        return new double[]{total == 0 ? 0 : unexpected / total, total == 0 ? 0 : loss / total};
    }

    private static int[] all(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }
}
