package io.anomalog.ml.deeplog;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import io.anomalog.core.detect.Provenance;
import io.anomalog.core.detect.Updatable;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.djl.TorchEngine;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trained DeepLog log-key model. An event is anomalous when its key is not among the top-g keys the model
 * predicts from the h keys before it (a key never seen in training always is); a session is anomalous when any
 * of its events is. The verdict's score is {@code 1 - p}, where p is the lowest probability the model gave to an
 * observed key of the session (0 for a session with nothing to judge), so higher is more anomalous.
 *
 * <p>Speed: sessions repeat the same histories massively (HDFS has a few thousand distinct ones in half a
 * million sessions), so the next-key distribution is computed once per distinct history, in batches of
 * distinct histories, and kept in a bounded cache shared by all callers.
 *
 * <p>Thread-safe: the network is only read, each forward pass has its own tensor scope, and the cache is a
 * concurrent map.
 */
public final class DeepLogDetector implements Updatable {

    /** Version of this method's files (parameters layout, templates file). */
    public static final int METHOD_VERSION = 1;
    static final String PARAMETERS_FILE = "deeplog.params";
    static final String TEMPLATES_FILE = "templates.json";
    private static final int FORWARD_BATCH = 8192;
    private static final int MAX_EXPLAINED = 5;
    private static final long CACHE_FLOATS = 64L << 20;

    private final DeepLogConfig config;
    private final KeyTokens tokens;
    private final Map<Integer, String> templates;
    private final byte[] parameters;
    private final ModelManifest manifest;
    private final ReplaySample replay;
    private final NDManager manager;
    private final Block network;
    private final int cacheLimit;
    private final boolean[] predictable;
    private final Map<History, float[]> cache = new ConcurrentHashMap<>();

    private DeepLogDetector(DeepLogConfig config, KeyVocabulary vocabulary, Map<Integer, String> templates,
                            byte[] parameters, ModelManifest manifest, ReplaySample replay) {
        this.config = config;
        this.replay = replay;
        this.tokens = new KeyTokens(vocabulary);
        this.templates = Map.copyOf(templates);
        this.parameters = parameters;
        this.manifest = manifest;
        this.cacheLimit = (int) Math.min(1_000_000, CACHE_FLOATS / tokens.classes());
        this.predictable = predictable(manifest, tokens);
        this.manager = TorchEngine.get().newBaseManager();
        try {
            network = DeepLogNetwork.build(tokens.classes(), config);
            network.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            network.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, DeepLogNetwork.inputShape(1, config));
            network.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(parameters)));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new AnomalogException("deeplog parameters do not fit the model (" + tokens.classes()
                    + " classes, history " + config.history() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Which token classes the model may predict: those that followed a history in training. A class that never
     * did (a key seen only in histories, the end of session when every training session was long, the unknown
     * class) has a logit that training only pushed down, so its rank among the near-zero probabilities means
     * nothing; it gets probability 0 and an observed one is always unexpected, as in the reference
     * implementation, where the padding value is never among the predictions.
     */
    private static boolean[] predictable(ModelManifest manifest, KeyTokens tokens) {
        boolean[] out = new boolean[tokens.classes()];
        Object keys = manifest.training().get(NEXT_KEYS);
        if (!(keys instanceof List<?> list)) {
            java.util.Arrays.fill(out, 1, out.length, true);
            return out;
        }
        for (Object k : list) {
            int token = tokens.vocabulary().indexOf(((Number) k).intValue());
            if (token != KeyTokens.UNKNOWN) {
                out[token] = true;
            }
        }
        out[tokens.pad()] = Boolean.TRUE.equals(manifest.training().get(SESSION_END_LEARNED));
        return out;
    }

    /** Manifest entry (training summary): raw keys that followed a history in training. */
    static final String NEXT_KEYS = "nextKeys";
    /** Manifest entry (training summary): whether a training session was shorter than history + 1. */
    static final String SESSION_END_LEARNED = "sessionEndLearned";

    /** A detector from trained parameters (as written by {@code Block.saveParameters}). */
    static DeepLogDetector of(DeepLogConfig config, KeyVocabulary vocabulary, Map<Integer, String> templates,
                              byte[] parameters, ModelManifest manifest, ReplaySample replay) {
        return new DeepLogDetector(config, vocabulary, templates, parameters, manifest, replay);
    }

    /** The same trained network judging with another g (no retraining needed). */
    public DeepLogDetector withTopG(int g) {
        return new DeepLogDetector(config.withTopG(g), tokens.vocabulary(), templates, parameters, manifest, replay);
    }

    /** The same trained network with another configuration and manifest (a calibrated decision rule). */
    DeepLogDetector withRule(DeepLogConfig rule, ModelManifest newManifest) {
        return new DeepLogDetector(rule, tokens.vocabulary(), templates, parameters, newManifest, replay);
    }

    /** Token classes of the network (keys, end of session, unknown): the largest meaningful g. */
    public int classes() {
        return tokens.classes();
    }

    public DeepLogConfig config() {
        return config;
    }

    KeyTokens tokens() {
        return tokens;
    }

    Map<Integer, String> templates() {
        return templates;
    }

    byte[] parameters() {
        return parameters;
    }

    /** The training windows kept for replay; null for a model trained without them. */
    ReplaySample replay() {
        return replay;
    }

    /**
     * Online update (DeepLog, section 3.3): fine-tunes a copy of the network on the marked sessions' windows
     * with a replay of the training sample, adding their unseen keys to the vocabulary; see {@link DeepLogUpdate}.
     */
    @Override
    public Updated learnNormal(List<Sequence> normal, Provenance provenance, Settings settings, Progress progress) {
        return DeepLogUpdate.learn(this, normal, provenance, settings, progress);
    }

    @Override
    public String method() {
        return DeepLogProvider.METHOD;
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    @Override
    public Verdict score(Sequence sequence) {
        return scoreAll(List.of(sequence)).get(0);
    }

    @Override
    public List<Verdict> scoreAll(List<Sequence> sequences) {
        int[][] encoded = encode(sequences);
        Map<History, float[]> local = predict(missingHistories(encoded));
        List<Verdict> out = new ArrayList<>(sequences.size());
        for (int s = 0; s < sequences.size(); s++) {
            out.add(judge(sequences.get(s), encoded[s], local));
        }
        return out;
    }

    /**
     * How surprising each session is to the model, independent of the decision rule: the worst rank and the lowest
     * probability of its observed keys. Every top-g and probability rule can then be applied without scoring again
     * (see {@link SessionSurprise#flaggedAtTopG} and {@link SessionSurprise#flaggedBelow}).
     */
    public List<SessionSurprise> surprises(List<Sequence> sequences) {
        int[][] encoded = encode(sequences);
        Map<History, float[]> local = predict(missingHistories(encoded));
        List<SessionSurprise> out = new ArrayList<>(sequences.size());
        int h = config.history();
        for (int s = 0; s < sequences.size(); s++) {
            int[] t = encoded[s];
            if (t == null) {
                out.add(SessionSurprise.NOTHING_JUDGED);
                continue;
            }
            int worst = 0;
            double minP = 1.0;
            for (int i = 0; i < Math.min(h, sequences.get(s).length()); i++) {
                if (t[i] == KeyTokens.UNKNOWN) {
                    worst = Integer.MAX_VALUE;
                    minP = 0;
                }
            }
            for (int i = 0; i + h < t.length; i++) {
                float[] p = distribution(t, i, local);
                int observed = t[i + h];
                if (!predictable[observed]) {
                    worst = Integer.MAX_VALUE;
                    minP = 0;
                } else {
                    worst = Math.max(worst, rankOf(p, observed) + 1);
                    minP = Math.min(minP, p[observed]);
                }
            }
            out.add(new SessionSurprise(worst, minP));
        }
        return out;
    }

    private int[][] encode(List<Sequence> sequences) {
        int[][] encoded = new int[sequences.size()][];
        for (int s = 0; s < sequences.size(); s++) {
            Sequence seq = sequences.get(s);
            if (seq.length() > 0) {
                encoded[s] = tokens.padded(seq.keys(), config.history());
            }
        }
        return encoded;
    }

    private Set<History> missingHistories(int[][] encoded) {
        int h = config.history();
        Set<History> missing = new LinkedHashSet<>();
        for (int[] t : encoded) {
            if (t == null) {
                continue;
            }
            for (int i = 0; i + h < t.length; i++) {
                History key = new History(Arrays.copyOfRange(t, i, i + h));
                if (!cache.containsKey(key)) {
                    missing.add(key);
                }
            }
        }
        return missing;
    }

    /** The next-token distribution after the h tokens at {@code t[i..i+h)}. */
    private float[] distribution(int[] t, int i, Map<History, float[]> local) {
        History key = new History(Arrays.copyOfRange(t, i, i + config.history()));
        float[] p = local.get(key);
        if (p == null) {
            p = cache.get(key);
        }
        if (p == null) {
            // evicted by another caller between prediction and judgement: predict again
            p = predict(Set.of(key)).get(key);
        }
        return p;
    }

    /** Next-token probabilities for histories not cached, batched into few forward passes. */
    private Map<History, float[]> predict(Set<History> histories) {
        Map<History, float[]> out = new ConcurrentHashMap<>();
        if (histories.isEmpty()) {
            return out;
        }
        List<History> list = new ArrayList<>(histories);
        int h = config.history();
        int classes = tokens.classes();
        for (int from = 0; from < list.size(); from += FORWARD_BATCH) {
            int n = Math.min(FORWARD_BATCH, list.size() - from);
            long[] flat = new long[n * h];
            for (int i = 0; i < n; i++) {
                int[] t = list.get(from + i).tokens;
                for (int j = 0; j < h; j++) {
                    flat[i * h + j] = t[j];
                }
            }
            float[] logits;
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(flat, new Shape(n, h));
                NDList y = network.forward(new ParameterStore(scope, false), new NDList(x), false);
                logits = y.singletonOrThrow().toFloatArray();
            }
            for (int i = 0; i < n; i++) {
                out.put(list.get(from + i), softmax(logits, i * classes, classes));
            }
        }
        if (cache.size() + out.size() > cacheLimit) {
            cache.clear();
        }
        cache.putAll(out);
        return out;
    }

    /** Softmax over the classes the model may predict; the others get probability 0. */
    private float[] softmax(float[] logits, int offset, int classes) {
        float[] p = new float[classes];
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            if (predictable[c]) {
                max = Math.max(max, logits[offset + c]);
            }
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            if (predictable[c]) {
                double e = Math.exp(logits[offset + c] - max);
                p[c] = (float) e;
                sum += e;
            }
        }
        for (int c = 0; c < classes; c++) {
            p[c] = (float) (p[c] / sum);
        }
        return p;
    }

    private Verdict judge(Sequence seq, int[] t, Map<History, float[]> local) {
        if (t == null) {
            return new Verdict(seq.id(), false, 0.0, null);
        }
        int h = config.history();
        int g = config.topG();
        int judged = 0;
        int anomalous = 0;
        double minP = 1.0;
        List<DeepLogExplanation.UnexpectedEvent> explained = new ArrayList<>();
        // the first h keys are only history, never predicted; a key among them that training never saw is still
        // an anomaly
        for (int i = 0; i < Math.min(h, seq.length()); i++) {
            if (t[i] == KeyTokens.UNKNOWN) {
                judged++;
                anomalous++;
                minP = 0;
                if (explained.size() < MAX_EXPLAINED) {
                    List<Integer> before = new ArrayList<>();
                    for (int j = 0; j < i; j++) {
                        before.add(seq.keys()[j]);
                    }
                    String line = seq.hasEvents() ? seq.events().get(i).record().content() : null;
                    Long lineNumber = seq.hasEvents() && seq.events().get(i).record().lineNumber() > 0
                            ? seq.events().get(i).record().lineNumber() : null;
                    explained.add(new DeepLogExplanation.UnexpectedEvent(i + 1, before, seq.keys()[i],
                            templateOf(seq, i, DeepLogExplanation.UNKNOWN_KEY), 0.0, tokens.classes(), List.of(),
                            line, lineNumber));
                }
            }
        }
        for (int i = 0; i + h < t.length; i++) {
            float[] p = distribution(t, i, local);
            int observed = t[i + h];
            judged++;
            double po = predictable[observed] ? p[observed] : 0.0;
            int rank = predictable[observed] ? rankOf(p, observed) : tokens.classes() - 1;
            minP = Math.min(minP, po);
            boolean unexpected = !predictable[observed]
                    || (config.probabilityRule() ? po < config.threshold() : rank >= g);
            if (unexpected) {
                anomalous++;
                if (explained.size() < MAX_EXPLAINED) {
                    explained.add(explain(seq, t, i, observed, po, rank, p));
                }
            }
        }
        DeepLogExplanation explanation = anomalous == 0 ? null
                : new DeepLogExplanation(anomalous, judged, g, List.copyOf(explained));
        return new Verdict(seq.id(), anomalous > 0, 1.0 - minP, explanation);
    }

    /** 0-based rank: how many classes are more probable than the observed one. */
    private int rankOf(float[] p, int observed) {
        int rank = 0;
        float po = p[observed];
        for (int c = 0; c < p.length; c++) {
            if (p[c] > po || (p[c] == po && c < observed)) {
                rank++;
            }
        }
        return rank;
    }

    private DeepLogExplanation.UnexpectedEvent explain(Sequence seq, int[] t, int start, int observed, double po,
                                                       int rank, float[] p) {
        int h = config.history();
        int position = start + h;
        List<Integer> history = new ArrayList<>(h);
        for (int j = start; j < start + h; j++) {
            history.add(j < seq.length() ? seq.keys()[j] : null);
        }
        boolean end = position >= seq.length();
        Integer observedKey = end ? null : seq.keys()[position];
        String observedTemplate = end ? DeepLogExplanation.END_OF_SESSION
                : observed == KeyTokens.UNKNOWN ? templateOf(seq, position, DeepLogExplanation.UNKNOWN_KEY)
                : templateOf(seq, position, null);
        String line = null;
        Long lineNumber = null;
        if (!end && seq.hasEvents()) {
            ParsedEvent e = seq.events().get(position);
            line = e.record().content();
            lineNumber = e.record().lineNumber() > 0 ? e.record().lineNumber() : null;
        }
        return new DeepLogExplanation.UnexpectedEvent(end ? seq.length() + 1 : position + 1, history, observedKey, observedTemplate, po,
                rank + 1, topCandidates(p), line, lineNumber);
    }

    private String templateOf(Sequence seq, int position, String fallback) {
        if (seq.hasEvents() && seq.events().get(position).template() != null) {
            return seq.events().get(position).template();
        }
        String known = templates.get(seq.keys()[position]);
        return known != null ? known : fallback;
    }

    private List<DeepLogExplanation.Candidate> topCandidates(float[] p) {
        Integer[] order = java.util.stream.IntStream.range(0, p.length).filter(c -> predictable[c]).boxed()
                .toArray(Integer[]::new);
        Arrays.sort(order, (a, b) -> p[a] != p[b] ? Float.compare(p[b], p[a]) : Integer.compare(a, b));
        List<DeepLogExplanation.Candidate> out = new ArrayList<>();
        for (int i = 0; i < Math.min(config.topG(), order.length); i++) {
            int c = order[i];
            Integer raw = tokens.rawKey(c);
            String text = c == tokens.pad() ? DeepLogExplanation.END_OF_SESSION : templates.get(raw);
            out.add(new DeepLogExplanation.Candidate(raw, p[c], text));
        }
        return out;
    }

    /**
     * The model's next-key probabilities after a history of at least h raw keys (the last h are used): raw key ->
     * probability, the end of session as key {@code null}, only the keys the model may predict, most probable
     * first.
     */
    public Map<Integer, Double> nextKeys(List<Integer> history) {
        int h = config.history();
        if (history.size() < h) {
            throw new IllegalArgumentException("a history of " + h + " keys is needed, not " + history.size());
        }
        int[] t = new int[h];
        for (int j = 0; j < h; j++) {
            t[j] = tokens.vocabulary().indexOf(history.get(history.size() - h + j));
        }
        History key = new History(t);
        float[] p = cache.containsKey(key) ? cache.get(key) : predict(Set.of(key)).get(key);
        Integer[] order = java.util.stream.IntStream.range(0, p.length).filter(c -> predictable[c]).boxed()
                .toArray(Integer[]::new);
        Arrays.sort(order, (a, b) -> p[a] != p[b] ? Float.compare(p[b], p[a]) : Integer.compare(a, b));
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (int c : order) {
            out.put(c == tokens.pad() ? null : tokens.rawKey(c), (double) p[c]);
        }
        return out;
    }

    @Override
    public void save(Path modelDir) throws IOException {
        Files.createDirectories(modelDir);
        AtomicFiles.write(modelDir.resolve(PARAMETERS_FILE), parameters);
        Map<String, String> byKey = new LinkedHashMap<>();
        new TreeMap<>(templates).forEach((k, v) -> byKey.put(String.valueOf(k), v));
        AtomicFiles.writeJson(modelDir.resolve(TEMPLATES_FILE), byKey);
        if (replay != null) {
            replay.save(modelDir);
        }
        Map<String, Object> training = new LinkedHashMap<>(manifest.training());
        training.put("parametersSha256", ModelFiles.sha256(parameters));
        manifest.withTraining(training).write(modelDir);
    }

    @Override
    public void close() {
        manager.close();
    }

    /** A history of h tokens as a hash key. */
    private static final class History {
        final int[] tokens;
        final int hash;

        History(int[] tokens) {
            this.tokens = tokens;
            this.hash = Arrays.hashCode(tokens);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof History other && hash == other.hash && Arrays.equals(tokens, other.tokens);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
