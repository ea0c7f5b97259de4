package io.anomalog.ml.deeplog.parameter;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Json;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.ml.djl.TorchEngine;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * DeepLog's parameter-value models: for each log key whose events carry quantities or times, either an LSTM that
 * predicts the key's next parameter value vector from its previous h vectors in the sequence, or, for a key with
 * too few training vectors for a network, a per-dimension Gaussian. An LSTM key's vector is anomalous when its mean
 * squared prediction error is above the upper bound of the confidence interval of the Gaussian fitted to the
 * errors on held-out normal vectors; a Gaussian key's when a dimension lies more than z deviations from the
 * training mean, z being the same interval's half-width in standard deviations (see {@link Gaussian}).
 *
 * <p>Thread-safe for scoring: the networks are only read and each forward pass has its own tensor scope.
 */
public final class ParameterModel implements AutoCloseable {

    /**
     * Version of {@link #FILE}'s layout; version 2 added the learning rate and each LSTM key's sample of training
     * and held-out windows (for the online update). Version 1 still loads (its LSTM keys cannot be updated); another
     * version is refused with a clear error.
     */
    public static final int FORMAT_VERSION = 2;
    /** The file in the model directory. */
    public static final String FILE = "deeplog-parameters.json";
    private static final int BATCH = 4096;

    private final int history;
    private final int hidden;
    private final double confidence;
    private final Map<Integer, KeyLayout> layouts;
    private final Map<Integer, KeyModel> models;
    private final Map<Integer, String> templates;
    private final double lr;
    private final Map<Integer, KeySample> samples;
    private final Map<Integer, Block> networks = new TreeMap<>();
    private final NDManager manager;

    /** The saved form. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record Stored(int formatVersion, int history, int hidden, double confidence, List<KeyLayout> layouts,
                  List<KeyModel> models, Double lr, List<KeySample> samples) {
    }

    ParameterModel(int history, int hidden, double confidence, Map<Integer, KeyLayout> layouts,
                   Map<Integer, KeyModel> models, Map<Integer, String> templates, double lr,
                   Map<Integer, KeySample> samples) {
        this.lr = lr;
        this.samples = samples == null ? Map.of() : Map.copyOf(samples);
        this.history = history;
        this.hidden = hidden;
        this.confidence = confidence;
        this.layouts = Map.copyOf(layouts);
        this.models = Map.copyOf(models);
        this.templates = templates == null ? Map.of() : Map.copyOf(templates);
        this.manager = TorchEngine.get().newBaseManager();
        try {
            for (KeyModel m : models.values()) {
                if (m.isLstm()) {
                    networks.put(m.key(), load(m, layouts.get(m.key())));
                }
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private Block load(KeyModel m, KeyLayout layout) {
        int d = layout.dimensions();
        Block net = ParameterNetwork.build(d, hidden);
        net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        net.initialize(manager, DataType.FLOAT32, ParameterNetwork.inputShape(1, history, d));
        try {
            net.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(
                    Base64.getDecoder().decode(m.network()))));
        } catch (IOException | MalformedModelException | IllegalArgumentException e) {
            throw new AnomalogException("the parameter network of key " + m.key() + " does not fit its layout ("
                    + d + " dimensions, hidden " + hidden + "): " + e.getMessage(), e);
        }
        return net;
    }

    /** The same models judging at another confidence. */
    public ParameterModel withConfidence(double c) {
        return new ParameterModel(history, hidden, c, layouts, models, templates, lr, samples);
    }

    /** The same settings and samples with some keys' layouts and models replaced (the online update). */
    ParameterModel withKeys(Map<Integer, KeyLayout> newLayouts, Map<Integer, KeyModel> newModels,
                            Map<Integer, KeySample> newSamples) {
        Map<Integer, KeyLayout> l = new TreeMap<>(layouts);
        l.putAll(newLayouts);
        Map<Integer, KeyModel> m = new TreeMap<>(models);
        m.putAll(newModels);
        Map<Integer, KeySample> s = new TreeMap<>(samples);
        s.putAll(newSamples);
        return new ParameterModel(history, hidden, confidence, l, m, templates, lr, s);
    }

    int hidden() {
        return hidden;
    }

    /** Adam's step size the networks were trained with (0 when not known: a version-1 file). */
    public double lr() {
        return lr;
    }

    /** The kept windows of each LSTM key (none for a version-1 file). */
    public Map<Integer, KeySample> samples() {
        return samples;
    }

    public double confidence() {
        return confidence;
    }

    public int history() {
        return history;
    }

    public Map<Integer, KeyLayout> layouts() {
        return layouts;
    }

    public Map<Integer, KeyModel> models() {
        return models;
    }

    /** Which keys have which kind of model: kind -> keys. */
    public Map<String, List<Integer>> kinds() {
        Map<String, List<Integer>> out = new TreeMap<>();
        new TreeMap<>(models).forEach((k, m) -> out.computeIfAbsent(m.kind(), x -> new ArrayList<>()).add(k));
        return out;
    }

    /** The error bound of an LSTM key at this model's confidence. */
    public double threshold(KeyModel m) {
        return m.isLstm() ? new Gaussian(m.errorMean(), m.errorSd()).upperBound(confidence) : Gaussian.z(confidence);
    }

    /** The anomalous events of each sequence (in order); sequences without events have none. */
    public List<List<ParameterFinding>> judge(List<Sequence> sequences) {
        List<List<ParameterFinding>> out = new ArrayList<>(sequences.size());
        for (int i = 0; i < sequences.size(); i++) {
            out.add(new ArrayList<>());
        }
        for (KeyModel m : models.values()) {
            KeyLayout layout = layouts.get(m.key());
            List<int[]> where = new ArrayList<>();      // {sequence, event position}
            List<KeySeries.Step> steps = new ArrayList<>();
            for (int s = 0; s < sequences.size(); s++) {
                Sequence seq = sequences.get(s);
                if (!seq.hasEvents() || !contains(seq.keys(), m.key())) {
                    continue;
                }
                for (KeySeries.Step step : KeySeries.of(seq, layout, history)) {
                    where.add(new int[]{s, step.position()});
                    steps.add(step);
                }
            }
            if (steps.isEmpty()) {
                continue;
            }
            double[][] predicted = m.isLstm() ? predict(networks.get(m.key()), steps, layout.dimensions())
                    : new double[steps.size()][layout.dimensions()];
            double bound = threshold(m);
            for (int i = 0; i < steps.size(); i++) {
                double[] z = steps.get(i).target();
                double[] p = predicted[i];
                double[] dev = new double[z.length];
                double error = 0;
                for (int d = 0; d < z.length; d++) {
                    double r = layout.beyondResolution(d, z[d] - p[d]);
                    if (m.isLstm()) {
                        error += r * r / z.length;
                        dev[d] = r / m.residualSd()[d];
                    } else {
                        error = Math.max(error, Math.abs(r));
                        dev[d] = r;
                    }
                }
                if (error > bound) {
                    int s = where.get(i)[0];
                    int pos = where.get(i)[1];
                    out.get(s).add(finding(sequences.get(s), pos, m, layout, z, p, dev, error, bound));
                }
            }
        }
        for (List<ParameterFinding> f : out) {
            f.sort(java.util.Comparator.comparingInt(ParameterFinding::position));
        }
        return out;
    }

    private ParameterFinding finding(Sequence seq, int pos, KeyModel m, KeyLayout layout, double[] z, double[] p,
                                     double[] dev, double error, double bound) {
        ParsedEvent e = seq.events().get(pos);
        String template = e.template() != null ? e.template() : templates.get(m.key());
        Long lineNumber = e.record().lineNumber() > 0 ? e.record().lineNumber() : null;
        return new ParameterFinding(pos + 1, m.key(), template, m.kind(), layout.names(), layout.denormalise(z),
                layout.denormalise(p), dev, error, bound, e.record().content(), lineNumber);
    }

    private static boolean contains(int[] keys, int key) {
        for (int k : keys) {
            if (k == key) {
                return true;
            }
        }
        return false;
    }

    /** The network of an LSTM key (read only). */
    Block network(int key) {
        return networks.get(key);
    }

    private double[][] predict(Block net, List<KeySeries.Step> steps, int d) {
        double[][] out = new double[steps.size()][];
        int width = history * (d + 1);
        for (int from = 0; from < steps.size(); from += BATCH) {
            int n = Math.min(BATCH, steps.size() - from);
            float[] flat = new float[n * width];
            for (int i = 0; i < n; i++) {
                System.arraycopy(steps.get(from + i).history(), 0, flat, i * width, width);
            }
            float[] y;
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(flat, new Shape(n, history, d + 1));
                y = net.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow()
                        .toFloatArray();
            }
            for (int i = 0; i < n; i++) {
                double[] v = new double[d];
                for (int k = 0; k < d; k++) {
                    v[k] = y[i * d + k];
                }
                out[from + i] = v;
            }
        }
        return out;
    }

    /** Writes {@link #FILE} atomically. */
    public void save(Path modelDir) throws IOException {
        Files.createDirectories(modelDir);
        Stored s = new Stored(FORMAT_VERSION, history, hidden, confidence, new ArrayList<>(new TreeMap<>(layouts).values()),
                new ArrayList<>(new TreeMap<>(models).values()), lr, new ArrayList<>(new TreeMap<>(samples).values()));
        AtomicFiles.writeJson(modelDir.resolve(FILE), s);
    }

    /** Whether a model directory has parameter models. */
    public static boolean present(Path modelDir) {
        return Files.exists(modelDir.resolve(FILE));
    }

    /** Reads {@link #FILE}; a missing, unreadable or other-version file is a clear error. */
    public static ParameterModel load(Path modelDir, Map<Integer, String> templates) throws IOException {
        Path file = modelDir.resolve(FILE);
        Map<?, ?> raw;
        try {
            raw = Json.MAPPER.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new AnomalogException("corrupt " + FILE + " in " + modelDir + ": " + e.getMessage(), e);
        }
        Object v = raw.get("formatVersion");
        if (!(v instanceof Number n) || (n.intValue() != FORMAT_VERSION && n.intValue() != 1)) {
            throw new AnomalogException(FILE + " in " + modelDir + " has format version " + v + "; this anomalog "
                    + "reads versions 1 and " + FORMAT_VERSION + " (train the model again)");
        }
        Stored s;
        try {
            s = Json.MAPPER.convertValue(raw, Stored.class);
        } catch (IllegalArgumentException e) {
            throw new AnomalogException("corrupt " + FILE + " in " + modelDir + ": " + e.getMessage(), e);
        }
        Map<Integer, KeyLayout> layouts = new LinkedHashMap<>();
        s.layouts().forEach(l -> layouts.put(l.key(), l));
        Map<Integer, KeyModel> models = new LinkedHashMap<>();
        for (KeyModel m : s.models()) {
            if (!layouts.containsKey(m.key())) {
                throw new AnomalogException("corrupt " + FILE + " in " + modelDir + ": key " + m.key()
                        + " has a model but no layout");
            }
            models.put(m.key(), m);
        }
        Map<Integer, KeySample> samples = new TreeMap<>();
        if (s.samples() != null) {
            s.samples().forEach(x -> samples.put(x.key(), x));
        }
        return new ParameterModel(s.history(), s.hidden(), s.confidence(), layouts, models, templates,
                s.lr() == null ? 0 : s.lr(), samples);
    }

    /** What the manifest and reports say about these models. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keys", models.size());
        m.put("kinds", kinds());
        m.put("confidence", confidence);
        m.put("z", Gaussian.z(confidence));
        return m;
    }

    @Override
    public void close() {
        manager.close();
    }
}
