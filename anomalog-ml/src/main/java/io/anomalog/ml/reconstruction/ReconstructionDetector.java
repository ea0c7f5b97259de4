package io.anomalog.ml.reconstruction;

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
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.features.FeatureRows;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Json;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.ml.djl.TorchEngine;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges a time window by how well the LSTM autoencoder reconstructs it: the window's feature vector and the
 * {@code history - 1} before it of the same series (repeating the first where the series is shorter) are
 * standardised with the training windows' mean and standard deviation and reconstructed; each feature of the
 * window's own (last) vector gets its squared error, divided by that feature's mean squared error on the normal
 * validation windows. With {@code score=tail} (the default) the score is the largest surprise among the features,
 * {@code -ln p} of each one's error on the normal validation windows ({@link ErrorTails}), or with {@code persist}
 * the larger of that and the surprise of the feature's smallest error over the last {@code persist} windows (a
 * creep keeps a feature a little off in each, which no one window shows); with
 * {@code score=normalised} it is the mean of the divided errors; with {@code score=mse} the plain mean squared
 * error. The tail score exists because an anomaly often moves one or two features (the response times under a
 * slow dependency) while the others go on as usual: in a mean over some fifty features, one far off moves the
 * score less than the normal spread of the rest, and features with heavy tails (small counts of rare templates)
 * would win a plain maximum. Above the threshold, the mean plus k standard deviations of the scores of the normal
 * validation windows, the window is anomalous; the verdict names the features with the largest surprises (or
 * divided errors), with their observed and reconstructed values.
 *
 * <p>Sequences must carry {@link FeatureRows} with the columns the model was trained on.
 */
public final class ReconstructionDetector implements Detector {

    static final int METHOD_VERSION = 1;
    static final String PARAMETERS_FILE = "reconstruction.params";
    static final String STATE_FILE = "reconstruction.json";
    static final int STATE_FORMAT = 4;
    /** Standardised values are clipped to this, so one absurd value cannot overflow the network. */
    static final double CLIP = 50;
    private static final int FORWARD_BATCH = 4096;

    /**
     * What the model needs beside its network parameters.
     *
     * @param format          {@link #STATE_FORMAT}
     * @param features        column names, as trained
     * @param mean            per column mean of the training windows
     * @param std             per column standard deviation (1 where constant)
     * @param threshold       mean + k sigma of the validation errors
     * @param validationMean  mean of the validation errors
     * @param validationStd   their standard deviation
     * @param validationCount how many validation windows
     * @param errorScale      per column divisor of the squared errors: its mean squared error on the normal
     *                        validation windows ({@code score=tail} and {@code normalised}), or 1
     *                        ({@code score=mse})
     * @param tails           the divided errors' distribution on the normal validation windows per feature
     *                        ({@code score=tail}), else null
     * @param persistentTails the same of the smallest divided error over the last {@code persist} windows
     *                        ({@code score=tail} with {@code persist} above 0), else null
     */
    public record State(int format, List<String> features, double[] mean, double[] std, double threshold,
                        double validationMean, double validationStd, int validationCount, double[] errorScale,
                        ErrorTails tails, ErrorTails persistentTails) {
        State withThreshold(double newThreshold, double vMean, double vStd, int count) {
            return new State(format, features, mean, std, newThreshold, vMean, vStd, count, errorScale, tails,
                    persistentTails);
        }

        State withErrors(double[] scale, ErrorTails newTails, ErrorTails newPersistentTails) {
            return new State(format, features, mean, std, threshold, validationMean, validationStd, validationCount,
                    scale, newTails, newPersistentTails);
        }
    }

    private final ReconstructionConfig config;
    private final State state;
    private final byte[] parameters;
    private final ModelManifest manifest;
    private final NDManager manager;
    private final Block network;

    ReconstructionDetector(ReconstructionConfig config, State state, byte[] parameters, ModelManifest manifest) {
        this.config = config;
        this.state = state;
        this.parameters = parameters;
        this.manifest = manifest;
        this.manager = TorchEngine.get().newBaseManager();
        int width = state.features().size();
        try {
            network = ReconstructionNetwork.build(width, config);
            network.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            network.initialize(manager, DataType.FLOAT32, ReconstructionNetwork.inputShape(1, width, config));
            network.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(parameters)));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new AnomalogException("reconstruction parameters do not fit the model (" + width
                    + " features, hidden " + config.hidden() + "): " + e.getMessage(), e);
        }
    }

    static ReconstructionDetector read(Path modelDir, ModelManifest manifest) throws IOException {
        ReconstructionConfig config;
        try {
            config = ReconstructionConfig.fromMap(manifest.hyperParameters());
        } catch (AnomalogException e) {
            throw new AnomalogException("corrupt reconstruction manifest in " + modelDir + ": " + e.getMessage(), e);
        }
        byte[] parameters;
        State state;
        try {
            parameters = Files.readAllBytes(modelDir.resolve(PARAMETERS_FILE));
            state = Json.MAPPER.readValue(modelDir.resolve(STATE_FILE).toFile(), State.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new AnomalogException("incomplete reconstruction model in " + modelDir + ": " + e.getMessage()
                    + " is missing");
        } catch (IOException e) {
            throw new AnomalogException("corrupt " + STATE_FILE + " in " + modelDir + ": " + e.getMessage(), e);
        }
        if (state.format() != STATE_FORMAT) {
            throw new AnomalogException(STATE_FILE + " in " + modelDir + " has format " + state.format()
                    + "; this anomalog reads format " + STATE_FORMAT + ": train the model again");
        }
        if (state.errorScale() == null || state.errorScale().length != state.features().size()) {
            throw new AnomalogException("corrupt " + STATE_FILE + " in " + modelDir + ": errorScale must hold one"
                    + " value per feature (" + state.features().size() + ")");
        }
        if (ReconstructionConfig.TAIL.equals(config.score())
                && (state.tails() == null || !state.tails().fits(state.features().size()))) {
            throw new AnomalogException("corrupt " + STATE_FILE + " in " + modelDir + ": score=tail needs tails"
                    + " with " + ErrorTails.POINTS + " quantiles, a tail scale and a shape in [0, 1) per feature ("
                    + state.features().size() + ")");
        }
        if (config.persistence() > 0
                && (state.persistentTails() == null || !state.persistentTails().fits(state.features().size()))) {
            throw new AnomalogException("corrupt " + STATE_FILE + " in " + modelDir + ": persist="
                    + config.persistence() + " needs persistentTails with " + ErrorTails.POINTS
                    + " quantiles, a tail scale and a shape in [0, 1) per feature (" + state.features().size()
                    + ")");
        }
        Object expected = manifest.training().get("parametersSha256");
        if (expected != null && !expected.equals(sha256(parameters))) {
            throw new AnomalogException("corrupt reconstruction model in " + modelDir + ": " + PARAMETERS_FILE
                    + " does not match the checksum in its manifest");
        }
        return new ReconstructionDetector(config, state, parameters, manifest);
    }

    public State state() {
        return state;
    }

    public double threshold() {
        return state.threshold();
    }

    ReconstructionDetector withState(State newState, ModelManifest newManifest) {
        return new ReconstructionDetector(config, newState, parameters, newManifest);
    }

    @Override
    public String method() {
        return ReconstructionProvider.METHOD;
    }

    @Override
    public boolean needsFeatures() {
        return true;
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
        List<Verdict> out = new ArrayList<>(sequences.size());
        int width = state.features().size();
        for (int from = 0; from < sequences.size(); from += FORWARD_BATCH) {
            List<Sequence> batch = sequences.subList(from, Math.min(sequences.size(), from + FORWARD_BATCH));
            float[] x = input(batch, state, config.history());
            float[] r = forward(x, batch.size(), width);
            int h = config.history();
            for (int i = 0; i < batch.size(); i++) {
                out.add(judge(batch.get(i), x, r, ((i + 1) * h - 1) * width, width));
            }
        }
        return out;
    }

    /**
     * Each window's squared error per feature (its last vector, standardised, against the reconstruction) divided
     * by the state's error scale, or with {@code persistent} the smallest such error of each feature over the last
     * {@code persist} vectors of the sequence: what the trainer measures the error scale (with a scale of ones) and
     * the error tails from.
     */
    double[][] squaredErrors(List<Sequence> sequences, boolean persistent) {
        int width = state.features().size();
        int h = config.history();
        double[] scale = state.errorScale();
        double[][] out = new double[sequences.size()][];
        for (int from = 0; from < sequences.size(); from += FORWARD_BATCH) {
            List<Sequence> batch = sequences.subList(from, Math.min(sequences.size(), from + FORWARD_BATCH));
            float[] x = input(batch, state, h);
            float[] r = forward(x, batch.size(), width);
            for (int i = 0; i < batch.size(); i++) {
                int last = ((i + 1) * h - 1) * width;
                out[from + i] = persistent ? persistent(x, r, last, width, scale) : divided(x, r, last, width, scale);
            }
        }
        return out;
    }

    /** Per feature, the smallest divided squared error over the last {@code persist} vectors up to {@code at}. */
    private double[] persistent(float[] x, float[] r, int at, int width, double[] scale) {
        double[] least = divided(x, r, at, width, scale);
        for (int back = 1; back < config.persist(); back++) {
            double[] earlier = divided(x, r, at - back * width, width, scale);
            for (int j = 0; j < width; j++) {
                least[j] = Math.min(least[j], earlier[j]);
            }
        }
        return least;
    }

    private static double[] divided(float[] x, float[] r, int at, int width, double[] scale) {
        double[] sq = new double[width];
        for (int j = 0; j < width; j++) {
            double d = x[at + j] - r[at + j];
            sq[j] = d * d / scale[j];
        }
        return sq;
    }

    /** The window scores (reconstruction errors as {@code score} defines them), in order. */
    double[] errors(List<Sequence> sequences) {
        double[] e = new double[sequences.size()];
        List<Verdict> v = scoreAll(sequences);
        for (int i = 0; i < e.length; i++) {
            e[i] = v.get(i).score();
        }
        return e;
    }

    private Verdict judge(Sequence s, float[] x, float[] r, int at, int width) {
        // per feature, what the score is made of: its surprise (tail) or its divided squared error
        double[] sq = divided(x, r, at, width, state.errorScale());
        double sum = 0;
        double error;
        boolean[] lasting = new boolean[width];
        if (state.tails() != null) {
            double[] held = state.persistentTails() == null ? null : persistent(x, r, at, width, state.errorScale());
            error = 0;
            for (int j = 0; j < width; j++) {
                sq[j] = state.tails().surprise(j, sq[j]);
                if (held != null) {
                    double p = state.persistentTails().surprise(j, held[j]);
                    lasting[j] = p > sq[j];
                    sq[j] = Math.max(sq[j], p);
                }
                sum += sq[j];
                error = Math.max(error, sq[j]);
            }
        } else {
            for (int j = 0; j < width; j++) {
                sum += sq[j];
            }
            error = sum / width;
        }
        boolean anomalous = error > state.threshold();
        Integer[] order = new Integer[width];
        for (int j = 0; j < width; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(sq[b], sq[a]));
        FeatureRows rows = s.features();
        double[] last = rows.last();
        List<ReconstructionExplanation.Feature> worst = new ArrayList<>();
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < Math.min(config.explain(), width); i++) {
            int j = order[i];
            double observed = rows.raw(j, last[j]);
            double rebuilt = rows.raw(j, r[at + j] * state.std()[j] + state.mean()[j]);
            worst.add(new ReconstructionExplanation.Feature(state.features().get(j), observed, rebuilt,
                    sum == 0 ? 0 : sq[j] / sum));
            names.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %s (expected %s%s)",
                    state.features().get(j), number(observed), number(rebuilt),
                    lasting[j] ? ", off for " + config.persist() + " windows" : ""));
        }
        String summary = String.format(Locale.ROOT, "reconstruction score %.3f %s %.3f; worst: %s", error,
                anomalous ? ">" : "<=", state.threshold(), names);
        return new Verdict(s.id(), anomalous, error, new ReconstructionExplanation(summary, error, state.threshold(),
                worst));
    }

    private static String number(double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }

    /** The network's input: (n, history, width) standardised and clipped, flattened. */
    static float[] input(List<Sequence> sequences, State state, int h) {
        int width = state.features().size();
        float[] x = new float[sequences.size() * h * width];
        for (int i = 0; i < sequences.size(); i++) {
            Sequence s = sequences.get(i);
            FeatureRows f = s.features();
            if (f == null) {
                throw new AnomalogException("reconstruction judges time windows with feature vectors; sequence "
                        + s.id() + " has none (the protocol services gives them)");
            }
            if (!f.names().equals(state.features())) {
                throw new AnomalogException("sequence " + s.id() + " has " + f.width() + " features "
                        + (f.width() == width ? "with other names " : "") + "than the " + width
                        + " the model was trained on");
            }
            double[][] rows = f.rows();
            for (int t = 0; t < h; t++) {
                double[] row = rows[Math.max(0, rows.length - h + t)];
                int base = (i * h + t) * width;
                for (int j = 0; j < width; j++) {
                    double z = (row[j] - state.mean()[j]) / state.std()[j];
                    x[base + j] = (float) Math.max(-CLIP, Math.min(CLIP, z));
                }
            }
        }
        return x;
    }

    private float[] forward(float[] x, int n, int width) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray in = scope.create(x, new Shape(n, config.history(), width));
            NDList y = network.forward(new ParameterStore(scope, false), new NDList(in), false);
            return y.singletonOrThrow().toFloatArray();
        }
    }

    @Override
    public void save(Path modelDir) throws IOException {
        Files.createDirectories(modelDir);
        AtomicFiles.write(modelDir.resolve(PARAMETERS_FILE), parameters);
        AtomicFiles.writeJson(modelDir.resolve(STATE_FILE), state);
        Map<String, Object> training = new LinkedHashMap<>(manifest.training());
        training.put("parametersSha256", sha256(parameters));
        manifest.withTraining(training).write(modelDir);
    }

    @Override
    public void close() {
        manager.close();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
