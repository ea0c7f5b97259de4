package io.anomalog.ml.attgru;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Provenance;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.TemplateTexts;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.embed.TemplateVectors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Trains a member of the window-classifier family on labelled sessions.
 *
 * <p>What is supervised ({@code labels}): {@code session} (default) trains each session on its most anomalous
 * window, the window that decides its verdict ({@link WindowTraining}), so no single window needs a label.
 * {@code window} gives every window its session's label and trains the windows one by one, as the ATT-GRU study
 * labels windows (a window of an anomalous session is anomalous). Session training starts with {@code warmup}
 * epochs on those window labels, so that the first choice of deciding windows is not arbitrary. Identical
 * sessions are one item ({@code duplicates=once}) or drawn as often as they occur ({@code counted}).
 *
 * <p>Validation: the protocol's validation sessions when it has them ({@link #withValidation}), else a share
 * {@code validation} of the sessions, held out stratified by label. Its loss picks the best epoch and stops
 * training; with {@code threshold=auto} the decision threshold is the F1-best cut of its session scores.
 *
 * <p>Parameters ({@code -p name=value}): {@code vectors} (auto|word2vec|learned|onehot; auto = word2vec when
 * template texts are given, else learned), {@code labels} (session|window), {@code window} (10), {@code hidden}
 * (64), {@code dense} (64), {@code dimension} (32, template vector size for word2vec and learned),
 * {@code attention} (32), {@code batch} ({@value #DEFAULT_BATCH} sessions), {@code window-batch}
 * ({@value #DEFAULT_WINDOW_BATCH} windows, for window labels), {@code warmup} (1 epoch), {@code duplicates}
 * (once|counted), {@code lr} (0.001), {@code epochs} ({@value #DEFAULT_EPOCHS}, the most), {@code patience}
 * ({@value #DEFAULT_PATIENCE} epochs), {@code validation} (0.1), {@code threshold} (auto, or a probability),
 * {@code normals-per-anomaly} (auto: the validation sessions' own ratio; or the ratio expected where the model
 * runs, which weighs the validation normals so that {@code threshold=auto} picks the F1-best cut for that ratio),
 * {@code seed} (1), {@code threads} (1: PyTorch intra-op threads for the training step; scoring passes use Java
 * threads), and for lstm-classifier {@code imbalance} (auto = normal / anomalous training sessions, or a number:
 * the loss weight of anomalous sessions), {@code attributes} (level: the event attributes merged with the key,
 * see {@link EventAttributes}; none for keys only) and {@code attribute-values} (20, the most values kept per
 * attribute).
 */
public final class WindowClassifierTrainer implements Trainer {

    /** Events per window unless {@code -p window=N} says otherwise. */
    public static final int DEFAULT_WINDOW = 10;
    static final int DEFAULT_BATCH = 128;
    static final int DEFAULT_WINDOW_BATCH = 2048;
    static final int DEFAULT_EPOCHS = 100;
    static final int DEFAULT_PATIENCE = 10;

    private final Variant variant;
    private final Params params;
    private final String vectors;
    private final String labels;
    private TemplateTexts texts = TemplateTexts.empty();
    private List<Sequence> givenValidation = List.of();
    private final int window;
    private final int hidden;
    private final int dense;
    private final int dimension;
    private final int attentionSize;
    private final int batch;
    private final int windowBatch;
    private final int warmup;
    private final String duplicates;
    private final double learningRate;
    private final int epochs;
    private final int patience;
    private final double validation;
    private Provenance provenance;
    private final String threshold;
    private final String normalsPerAnomaly;
    private final long seed;
    private final int threads;
    private final String imbalance;
    private final List<String> attributeNames;
    private final int attributeValues;

    public WindowClassifierTrainer(Variant variant, Params params) {
        this.variant = variant;
        this.params = params;
        this.vectors = variant.mergedOneHot() ? "onehot" : params.getString("vectors", "auto");
        this.labels = params.getString("labels", "session");
        this.window = params.getInt("window", DEFAULT_WINDOW);
        this.hidden = params.getInt("hidden", 64);
        this.dense = params.getInt("dense", 64);
        this.dimension = variant.mergedOneHot() ? 0 : params.getInt("dimension", 32);
        this.attentionSize = variant.attention() ? params.getInt("attention", 32) : 0;
        this.batch = params.getInt("batch", DEFAULT_BATCH);
        this.windowBatch = params.getInt("window-batch", DEFAULT_WINDOW_BATCH);
        this.warmup = params.getInt("warmup", 1);
        this.duplicates = params.getString("duplicates", "once");
        this.learningRate = params.getDouble("lr", 1e-3);
        this.epochs = params.getInt("epochs", DEFAULT_EPOCHS);
        this.patience = params.getInt("patience", DEFAULT_PATIENCE);
        this.validation = params.getDouble("validation", 0.1);
        this.threshold = params.getString("threshold", "auto");
        this.normalsPerAnomaly = params.getString("normals-per-anomaly", "auto");
        this.seed = params.getLong("seed", 1L);
        this.threads = params.getInt("threads", 1);
        this.imbalance = variant.mergedOneHot() ? params.getString("imbalance", "auto") : "1";
        this.attributeNames = variant.mergedOneHot() ? EventAttributes.parseNames(params.getString("attributes",
                "level")) : List.of();
        this.attributeValues = variant.mergedOneHot() ? params.getInt("attribute-values", 20) : 0;
        params.checkAllUsed(variant.method());
        if (!Set.of("auto", "word2vec", "learned", "onehot").contains(vectors)) {
            throw new AnomalogException("vectors=" + vectors + " is not one of word2vec, learned, onehot, auto");
        }
        if (!Set.of("once", "counted").contains(duplicates)) {
            throw new AnomalogException("duplicates=" + duplicates + " is not one of once, counted");
        }
        if (!Set.of("session", "window").contains(labels)) {
            throw new AnomalogException("labels=" + labels + " is not one of session, window");
        }
        if (window < 1 || hidden < 1 || dense < 1 || batch < 1 || windowBatch < 1 || epochs < 1 || patience < 1
                || warmup < 0 || validation < 0 || validation >= 1) {
            throw new AnomalogException("window, hidden, dense, batch, window-batch, epochs and patience must be "
                    + "positive, warmup not negative and validation in [0, 1)");
        }
        if (!threshold.equals("auto") && !(fixedThreshold() > 0 && fixedThreshold() < 1)) {
            throw new AnomalogException("threshold=" + threshold + " is neither auto nor a probability in (0, 1)");
        }
        if (!normalsPerAnomaly.equals("auto") && !(number("normals-per-anomaly", normalsPerAnomaly) > 0)) {
            throw new AnomalogException("normals-per-anomaly=" + normalsPerAnomaly
                    + " is neither auto nor a positive number (e.g. 49 for 2% anomalies)");
        }
        if (!imbalance.equals("auto") && !(number("imbalance", imbalance) > 0)) {
            throw new AnomalogException("imbalance=" + imbalance + " is neither auto nor a positive number");
        }
        if (attributeValues < 0) {
            throw new AnomalogException("attribute-values must not be negative");
        }
    }

    private double fixedThreshold() {
        return number("threshold", threshold);
    }

    private static double number(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new AnomalogException(name + "=" + value + " is not a number");
        }
    }

    @Override
    public String method() {
        return variant.method();
    }

    /** Where the training data came from, recorded in the manifest. */
    @Override
    public Trainer withProvenance(Provenance p) {
        this.provenance = p;
        return this;
    }

    /** Template texts of the keys: word2vec template vectors are made from them, explanations show them. */
    @Override
    public Trainer withTemplateTexts(Map<Integer, String> templateTexts) {
        this.texts = new TemplateTexts(templateTexts);
        return this;
    }

    /** Labelled sessions for early stopping and the threshold, instead of holding out part of the training. */
    @Override
    public Trainer withValidation(List<Sequence> validationSessions) {
        this.givenValidation = validationSessions.stream().filter(s -> s.label().isKnown()).toList();
        return this;
    }

    @Override
    public boolean supervised() {
        return true;
    }

    @Override
    public Detector fit(List<Sequence> training, KeyVocabulary vocabulary, Progress progress) {
        long start = System.nanoTime();
        List<Sequence> normal = new ArrayList<>();
        List<Sequence> anomalous = new ArrayList<>();
        for (Sequence s : training) {
            if (s.label() == Label.ANOMALOUS) {
                anomalous.add(s);
            } else if (s.label() == Label.NORMAL) {
                normal.add(s);
            }
        }
        if (normal.isEmpty() || anomalous.isEmpty()) {
            throw new AnomalogException(variant.method() + " is supervised: it needs normal and anomalous training "
                    + "sequences (got " + normal.size() + " normal, " + anomalous.size() + " anomalous)");
        }
        List<Sequence> trainSet = new ArrayList<>();
        List<Sequence> validationSet = new ArrayList<>();
        String validationSource;
        if (!givenValidation.isEmpty()) {
            trainSet.addAll(normal);
            trainSet.addAll(anomalous);
            validationSet.addAll(givenValidation);
            validationSource = "given";
        } else {
            Random random = new Random(seed);
            for (List<Sequence> group : List.of(normal, anomalous)) {
                List<Sequence> shuffled = new ArrayList<>(group);
                Collections.shuffle(shuffled, random);
                int held = (int) Math.round(shuffled.size() * validation);
                validationSet.addAll(shuffled.subList(0, held));
                trainSet.addAll(shuffled.subList(held, shuffled.size()));
            }
            validationSource = "held out " + validation;
        }
        if ("word2vec".equals(vectors) && texts.isEmpty()) {
            throw new AnomalogException("vectors=word2vec needs the template texts: give --templates FILE");
        }
        String resolved = "auto".equals(vectors) ? (texts.isEmpty() ? "learned" : "word2vec") : vectors;
        EventAttributes attributes = EventAttributes.fit(attributeNames, trainSet, attributeValues);
        String attributeNote = attributeNote(attributes, training);
        if (attributeNote != null) {
            progress.status(attributeNote);
        }
        int keyRows = TemplateVectors.rows(vocabulary);
        float[][] table = switch (resolved) {
            case "word2vec" -> TemplateVectors.word2vec(texts, vocabulary, dimension, seed);
            case "onehot" -> variant.mergedOneHot() ? null : TemplateVectors.oneHot(vocabulary);
            default -> null;
        };
        int vectorSize = variant.mergedOneHot() ? 0 : table == null ? dimension : table[0].length;
        Architecture arch = new Architecture(variant, window, keyRows, vectorSize, attributes.rows(), hidden,
                dense, Math.max(1, attentionSize));
        SessionWindows sw = new SessionWindows(vocabulary, window, arch.paddingIndex(), attributes);

        WindowTable windows = new WindowTable(sw);
        WindowTraining.Examples trainSessions = windows.sessionItems(trainSet, "counted".equals(duplicates));
        WindowTraining.Examples trainItems = "window".equals(labels) ? windows.windowItems(trainSet) : trainSessions;
        WindowTraining.Examples validationSessions = windows.sessionItems(validationSet, true);
        WindowTraining.Examples validationItems = "window".equals(labels) ? windows.windowItems(validationSet)
                : validationSessions;
        float positiveWeight = (float) ("auto".equals(imbalance) ? (double) normal.size() / anomalous.size()
                : number("imbalance", imbalance));

        WindowTraining.Outcome outcome;
        try (WindowModel fresh = WindowModel.create(arch, table, seed)) {
            WindowTraining.Examples warmupItems = "window".equals(labels) || warmup == 0
                    ? WindowTraining.Examples.NONE : windows.windowItems(trainSet);
            outcome = WindowTraining.run(fresh, windows.list(), warmupItems, trainItems, validationItems,
                    new WindowTraining.Settings("window".equals(labels) ? windowBatch : batch, (float) learningRate,
                            epochs, patience, positiveWeight, threads, seed, warmup, windowBatch,
                            "counted".equals(duplicates)), progress);
        }
        WindowModel model = WindowModel.fromParameters(arch, "learned".equals(resolved), outcome.parameters());

        double thresholdLogOdds;
        String thresholdSource;
        if ("auto".equals(threshold) && !validationSessions.isEmpty()) {
            float[] z = WindowTraining.itemLogOdds(validationSessions, model.logOddsAll(windows.list()));
            float[] weights = normalsPerAnomaly.equals("auto") ? validationSessions.weights()
                    : ValidationThreshold.atRatio(validationSessions.labels(), validationSessions.weights(),
                    number("normals-per-anomaly", normalsPerAnomaly));
            thresholdLogOdds = ValidationThreshold.choose(z, validationSessions.labels(), weights);
            thresholdSource = normalsPerAnomaly.equals("auto") ? "validation"
                    : "validation, normals weighed " + normalsPerAnomaly + " per anomaly";
        } else {
            thresholdLogOdds = Double.NaN;
            thresholdSource = "given";
        }
        if (Double.isNaN(thresholdLogOdds)) {
            double p = "auto".equals(threshold) ? 0.5 : fixedThreshold();
            thresholdLogOdds = Math.log(p / (1 - p));
            if ("auto".equals(threshold)) {
                thresholdSource = "0.5: no validation sessions of both labels";
            }
        }
        double probability = 1 / (1 + Math.exp(-thresholdLogOdds));

        Map<String, Object> hp = new LinkedHashMap<>(params.used());
        hp.put("resolvedVectors", resolved);
        hp.put("architecture", arch.toMap());
        hp.put("attributeValues", attributes.toMap());
        hp.put("thresholdLogOdds", thresholdLogOdds);
        hp.put("positiveWeight", (double) positiveWeight);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sessions", training.size());
        summary.put("normalSessions", normal.size());
        summary.put("anomalousSessions", anomalous.size());
        summary.put("validation", validationSource);
        summary.put("validationSessions", validationSet.size());
        summary.put("trainingItems", trainItems.size());
        int[] perLabel = perLabel(trainSessions);
        summary.put("distinctNormalSessions", perLabel[0]);
        summary.put("distinctAnomalousSessions", perLabel[1]);
        summary.put("distinctWindows", windows.size());
        summary.put("epochs", outcome.epochs());
        summary.put("bestEpoch", outcome.bestEpoch());
        summary.put("steps", outcome.steps());
        summary.put("threshold", probability);
        summary.put("thresholdFrom", thresholdSource);
        if (attributeNote != null) {
            summary.put("attributes", attributeNote);
        }
        summary.put("seconds", (System.nanoTime() - start) / 1e9);
        summary.put("seed", seed);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("validationLoss", outcome.bestValidationLoss());
        metrics.put("trainLoss", outcome.lastTrainLoss());
        ModelManifest manifest = ModelManifest.create(variant.method(), WindowClassifierDetector.METHOD_VERSION, hp,
                vocabulary, provenance, summary, metrics);
        return new WindowClassifierDetector(manifest, model, vocabulary, attributes, texts, thresholdLogOdds);
    }

    /** Why fewer attributes are used than asked for, or null when all are. */
    private String attributeNote(EventAttributes attributes, List<Sequence> training) {
        if (attributeNames.isEmpty() || attributes.count() == attributeNames.size()) {
            return null;
        }
        boolean anyEvents = training.stream().anyMatch(Sequence::hasEvents);
        if (!anyEvents) {
            return "attributes " + attributeNames + " not used: the training sequences carry no events (key files),"
                    + " so the classifier uses log keys only";
        }
        List<String> missing = new ArrayList<>(attributeNames);
        missing.removeAll(attributes.names());
        return "attributes " + missing + " not used: no training event carries them";
    }

    private static int[] perLabel(WindowTraining.Examples items) {
        int[] counts = new int[2];
        for (int l : items.labels()) {
            counts[l]++;
        }
        return counts;
    }

    /** The distinct windows of the training and validation sessions, each with an id. */
    private static final class WindowTable {

        private final SessionWindows sw;
        private final Map<SessionWindows.Key, Integer> ids = new HashMap<>();
        private final List<int[]> windows = new ArrayList<>();

        WindowTable(SessionWindows sw) {
            this.sw = sw;
        }

        List<int[]> list() {
            return windows;
        }

        int size() {
            return windows.size();
        }

        private int idOf(int[] window) {
            return ids.computeIfAbsent(new SessionWindows.Key(window), k -> {
                windows.add(window);
                return windows.size() - 1;
            });
        }

        /** The session's distinct window ids, sorted (the maximum over them does not depend on order). */
        private int[] idsOf(Sequence s) {
            return sw.windows(s).stream().mapToInt(this::idOf).distinct().sorted().toArray();
        }

        /**
         * One item per distinct (windows, label) session; with {@code counted} its weight is how many sessions it
         * stands for (validation: the loss and F1 of the sessions as they come), else 1 (training: identical
         * sessions teach nothing new).
         */
        WindowTraining.Examples sessionItems(List<Sequence> sessions, boolean counted) {
            Map<List<Integer>, Integer> seen = new LinkedHashMap<>();
            List<int[]> items = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            List<Float> weights = new ArrayList<>();
            for (Sequence s : sessions) {
                int label = s.label() == Label.ANOMALOUS ? 1 : 0;
                int[] windowIds = idsOf(s);
                List<Integer> key = new ArrayList<>(windowIds.length + 1);
                Arrays.stream(windowIds).forEach(key::add);
                key.add(-1 - label);
                Integer at = seen.get(key);
                if (at == null) {
                    seen.put(key, items.size());
                    items.add(windowIds);
                    labels.add(label);
                    weights.add(1f);
                } else if (counted) {
                    weights.set(at, weights.get(at) + 1f);
                }
            }
            return examples(items, labels, weights);
        }

        /** One item per window of every session, labelled with its session's label. */
        WindowTraining.Examples windowItems(List<Sequence> sessions) {
            List<int[]> items = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            List<Float> weights = new ArrayList<>();
            for (Sequence s : sessions) {
                int label = s.label() == Label.ANOMALOUS ? 1 : 0;
                for (int[] w : sw.windows(s)) {
                    items.add(new int[]{idOf(w)});
                    labels.add(label);
                    weights.add(1f);
                }
            }
            return examples(items, labels, weights);
        }

        private static WindowTraining.Examples examples(List<int[]> items, List<Integer> labels, List<Float> weights) {
            float[] w = new float[weights.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = weights.get(i);
            }
            return new WindowTraining.Examples(items.toArray(new int[0][]),
                    labels.stream().mapToInt(Integer::intValue).toArray(), w);
        }
    }
}
