package io.anomalog.ml.attgru;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Provenance;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateTexts;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.embed.TemplateVectors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Trains a member of the window-classifier family on labelled sessions.
 *
 * <p>Training is at session level ({@link WindowTraining}): a session's log-odds is that of its most anomalous
 * window, so no single window needs a label. Identical sessions (same windows, same label) are kept once. A
 * fraction of the sessions (stratified by label, by seed) is held out; its loss drives early stopping.
 *
 * <p>Parameters ({@code -p name=value}): {@code vectors} (auto|word2vec|learned|onehot; auto = word2vec when
 * template texts are given, else learned), {@code window} (10),
 * {@code hidden} (64), {@code dense} (64), {@code dimension} (32, template vector size for word2vec and
 * learned), {@code attention} (32), {@code batch} (64 sessions), {@code lr} (0.001), {@code epochs} (30),
 * {@code patience} (3), {@code validation} (0.1), {@code threshold} (0.5), {@code seed} (1), {@code threads}
 * (1: PyTorch intra-op threads for training; on a loaded machine 2 threads contend and run slower), and for lstm-classifier {@code imbalance} (5, weight of anomalous windows).
 */
public final class WindowClassifierTrainer implements Trainer {

    private final Variant variant;
    private final Params params;
    private final String vectors;
    private TemplateTexts texts = TemplateTexts.empty();
    private final int window;
    private final int hidden;
    private final int dense;
    private final int dimension;
    private final int attentionSize;
    private final int batch;
    private final double learningRate;
    private final int epochs;
    private final int patience;
    private final double validation;
    private Provenance provenance;
    private final double threshold;
    private final long seed;
    private final int threads;
    private final double imbalance;

    public WindowClassifierTrainer(Variant variant, Params params) {
        this.variant = variant;
        this.params = params;
        this.vectors = variant.mergedOneHot() ? "onehot" : params.getString("vectors", "auto");
        this.window = params.getInt("window", 10);
        this.hidden = params.getInt("hidden", 64);
        this.dense = params.getInt("dense", 64);
        this.dimension = variant.mergedOneHot() ? 0 : params.getInt("dimension", 32);
        this.attentionSize = variant.attention() ? params.getInt("attention", 32) : 0;
        this.batch = params.getInt("batch", 64);
        this.learningRate = params.getDouble("lr", 1e-3);
        this.epochs = params.getInt("epochs", 30);
        this.patience = params.getInt("patience", 3);
        this.validation = params.getDouble("validation", 0.1);
        this.threshold = params.getDouble("threshold", 0.5);
        this.seed = params.getLong("seed", 1L);
        this.threads = params.getInt("threads", 1);
        this.imbalance = variant.mergedOneHot() ? params.getDouble("imbalance", 5.0) : 1.0;
        params.checkAllUsed(variant.method());
        if (!Set.of("auto", "word2vec", "learned", "onehot").contains(vectors)) {
            throw new AnomalogException("vectors=" + vectors + " is not one of word2vec, learned, onehot, auto");
        }
        if (window < 1 || hidden < 1 || dense < 1 || batch < 1 || epochs < 1 || validation < 0 || validation >= 1) {
            throw new AnomalogException("window, hidden, dense, batch and epochs must be positive and validation in [0, 1)");
        }
    }

    @Override
    public String method() {
        return variant.method();
    }

    /** Template texts of the keys: word2vec template vectors are made from them, explanations show them. */
    @Override
    public Trainer withProvenance(Provenance p) {
        this.provenance = p;
        return this;
    }

    @Override
    public Trainer withTemplateTexts(Map<Integer, String> templateTexts) {
        this.texts = new TemplateTexts(templateTexts);
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
            (s.label() == Label.ANOMALOUS ? anomalous : normal).add(s);
        }
        if (normal.isEmpty() || anomalous.isEmpty()) {
            throw new AnomalogException(variant.method() + " is supervised: it needs normal and anomalous training "
                    + "sequences (got " + normal.size() + " normal, " + anomalous.size() + " anomalous)");
        }
        Random random = new Random(seed);
        List<Sequence> trainSet = new ArrayList<>();
        List<Sequence> validationSet = new ArrayList<>();
        for (List<Sequence> group : List.of(normal, anomalous)) {
            List<Sequence> shuffled = new ArrayList<>(group);
            Collections.shuffle(shuffled, random);
            int held = (int) Math.round(shuffled.size() * validation);
            validationSet.addAll(shuffled.subList(0, held));
            trainSet.addAll(shuffled.subList(held, shuffled.size()));
        }
        if ("word2vec".equals(vectors) && texts.isEmpty()) {
            throw new AnomalogException("vectors=word2vec needs the template texts: give --templates FILE");
        }
        String resolved = "auto".equals(vectors) ? (texts.isEmpty() ? "learned" : "word2vec") : vectors;
        Map<String, Integer> attributes = attributeIndex(training);
        int keyRows = TemplateVectors.rows(vocabulary);
        float[][] table = switch (resolved) {
            case "word2vec" -> TemplateVectors.word2vec(texts, vocabulary, dimension, seed);
            case "onehot" -> variant.mergedOneHot() ? null : TemplateVectors.oneHot(vocabulary);
            default -> null;
        };
        int vectorSize = variant.mergedOneHot() ? 0 : table == null ? dimension : table[0].length;
        Architecture arch = new Architecture(variant, window, keyRows, vectorSize, attributes.size() + 1, hidden,
                dense, Math.max(1, attentionSize));
        SessionWindows sw = new SessionWindows(vocabulary, window, arch.paddingIndex(), attributes);

        List<int[][]> trainX = new ArrayList<>();
        List<Integer> trainY = new ArrayList<>();
        int[] trainCounts = distinctSessions(trainSet, sw, trainX, trainY);
        List<int[][]> valX = new ArrayList<>();
        List<Integer> valY = new ArrayList<>();
        distinctSessions(validationSet, sw, valX, valY);

        WindowTraining.Outcome outcome;
        try (WindowModel fresh = WindowModel.create(arch, table, seed)) {
            outcome = WindowTraining.run(fresh, trainX, trainY, valX, valY,
                    new WindowTraining.Settings(batch, (float) learningRate, epochs, patience, (float) imbalance,
                            threads, seed), progress);
        }
        WindowModel model = WindowModel.fromParameters(arch, "learned".equals(resolved), outcome.parameters());

        Map<String, Object> hp = new LinkedHashMap<>(params.used());
        hp.put("resolvedVectors", resolved);
        hp.put("architecture", arch.toMap());
        hp.put("attributeValues", new ArrayList<>(attributes.keySet()));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sessions", training.size());
        summary.put("normalSessions", normal.size());
        summary.put("anomalousSessions", anomalous.size());
        summary.put("validationSessions", validationSet.size());
        summary.put("distinctNormalSessions", trainCounts[0]);
        summary.put("distinctAnomalousSessions", trainCounts[1]);
        summary.put("distinctValidationSessions", valX.size());
        summary.put("epochs", outcome.epochs());
        summary.put("bestEpoch", outcome.bestEpoch());
        summary.put("seconds", (System.nanoTime() - start) / 1e9);
        summary.put("seed", seed);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("validationLoss", outcome.bestValidationLoss());
        metrics.put("trainLoss", outcome.lastTrainLoss());
        ModelManifest manifest = ModelManifest.create(variant.method(), WindowClassifierDetector.METHOD_VERSION, hp,
                vocabulary, provenance, summary, metrics);
        return new WindowClassifierDetector(manifest, model, vocabulary, attributes, texts, threshold);
    }

    /** Adds each distinct (windows, label) session once; returns {normal, anomalous} counts. */
    private static int[] distinctSessions(List<Sequence> sessions, SessionWindows sw, List<int[][]> x,
                                          List<Integer> y) {
        Set<List<SessionWindows.Key>> seen = new HashSet<>();
        int[] counts = new int[2];
        for (Sequence s : sessions) {
            int label = s.label() == Label.ANOMALOUS ? 1 : 0;
            List<int[]> windows = sw.windows(s);
            List<SessionWindows.Key> key = new ArrayList<>(windows.size() + 1);
            windows.forEach(w -> key.add(new SessionWindows.Key(w)));
            key.add(new SessionWindows.Key(new int[]{label}));
            if (seen.add(key)) {
                x.add(windows.toArray(new int[0][]));
                y.add(label);
                counts[label]++;
            }
        }
        return counts;
    }

    /** Attribute values ({@link SessionWindows#ATTRIBUTE_FIELD}) seen in training events, sorted, indexed 1..k. */
    private Map<String, Integer> attributeIndex(List<Sequence> training) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (!variant.mergedOneHot()) {
            return out;
        }
        TreeSet<String> values = new TreeSet<>();
        for (Sequence s : training) {
            for (ParsedEvent e : s.events()) {
                if (e.record() != null) {
                    String v = e.record().field(SessionWindows.ATTRIBUTE_FIELD);
                    if (v != null) {
                        values.add(v);
                    }
                }
            }
        }
        values.forEach(v -> out.put(v, out.size() + 1));
        return out;
    }
}
