package io.anomalog.core.features;

import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Json;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * How a model trained on time windows of JSON events turns a window into its feature vector, fitted once at
 * training and saved with the model ({@value #FILE}), so that {@code detect} and the stream compute exactly the
 * vectors training saw:
 * <ol>
 *   <li>the {@link WindowFeatures} vector of the window in the {@link WindowFeatures.Schema} fitted on the
 *       training windows (a status code or template gets a column when at least {@value #MIN_SHARE} of the
 *       training windows hold it);</li>
 *   <li>every value but the error rate taken as {@code sign(v) log(1 + |v|)} (counts and response times have long
 *       tails);</li>
 *   <li>centred and scaled by the mean and standard deviation of the same service and host's training windows
 *       (a series training never saw uses those of all training windows together).</li>
 * </ol>
 * A window is judged with the {@link #history()} - 1 windows before it of the same series ({@link FeatureRows}).
 * Series are per service and host: {@code service@host}, the record's component and host.
 *
 * @param format  {@link #FORMAT}
 * @param schema  the columns
 * @param fields  where the values are read
 * @param history windows per judged sequence (the window and those before it)
 * @param logged  per column, whether it is taken as a log
 * @param scalers per series ({@code service@host}), the standardisation
 * @param pooled  the standardisation of a series training never saw
 */
public record WindowFeatureModel(int format, WindowFeatures.Schema schema, WindowFeatures.Fields fields, int history,
                                 boolean[] logged, Map<String, WindowFeatures.Scaler> scalers,
                                 WindowFeatures.Scaler pooled) {

    /** The file in a model directory. */
    public static final String FILE = "window-features.json";
    public static final int FORMAT = 1;
    /** The share of training windows a status code or template must appear in to get its own column. */
    public static final double MIN_SHARE = 0.01;

    public WindowFeatureModel {
        if (format != FORMAT) {
            throw new AnomalogException(FILE + " has format " + format + "; this anomalog reads format " + FORMAT
                    + ": train the model again");
        }
        if (history < 1) {
            throw new AnomalogException("the history must be at least 1 window, got " + history);
        }
        scalers = Map.copyOf(scalers);
    }

    /** Fits the columns and the standardisation on training windows (all of them taken as normal). */
    public static WindowFeatureModel fit(List<WindowFeatures.Series> series, Duration width,
                                         WindowFeatures.Fields fields, int history) {
        return fit(series, width, fields, history, Long.MAX_VALUE, (x, w) -> true);
    }

    /**
     * Fits the columns on the windows that start before {@code untilMillis}, and each series' standardisation on
     * those of them that {@code normal} accepts (a protocol's labelled anomalies left out).
     */
    public static WindowFeatureModel fit(List<WindowFeatures.Series> series, Duration width,
                                         WindowFeatures.Fields fields, int history, long untilMillis,
                                         BiPredicate<WindowFeatures.Series, WindowFeatures.Window> normal) {
        WindowFeatures.Schema schema = WindowFeatures.Schema.fit(series, width, untilMillis, MIN_SHARE);
        return fit(schema, series, fields, history, untilMillis, normal,
                loggedVectors(schema, loggedColumns(schema.names()), series));
    }

    /** A model and every window of the series as a sequence, as {@link #fit} then {@link #sequences} give them. */
    public record Fitted(WindowFeatureModel model, List<Sequence> sequences) {
    }

    /**
     * {@link #fit} and then {@link #sequences}, with each window's vector computed once instead of once for the
     * standardisation and again for its sequence.
     */
    public static Fitted fitSequences(List<WindowFeatures.Series> series, Duration width, WindowFeatures.Fields fields,
                                      int history, long untilMillis,
                                      BiPredicate<WindowFeatures.Series, WindowFeatures.Window> normal,
                                      Function<String, Label> labels) {
        WindowFeatures.Schema schema = WindowFeatures.Schema.fit(series, width, untilMillis, MIN_SHARE);
        double[][][] vectors = loggedVectors(schema, loggedColumns(schema.names()), series);
        WindowFeatureModel model = fit(schema, series, fields, history, untilMillis, normal, vectors);
        return new Fitted(model, model.sequences(series, labels, vectors));
    }

    /** Each window's vector in the schema's columns, on the log scale where a column is read so, series by series. */
    private static double[][][] loggedVectors(WindowFeatures.Schema schema, boolean[] logged,
                                              List<WindowFeatures.Series> series) {
        double[][][] vectors = new double[series.size()][][];
        for (int i = 0; i < vectors.length; i++) {
            List<WindowFeatures.Window> windows = series.get(i).windows();
            vectors[i] = new double[windows.size()][];
            for (int t = 0; t < windows.size(); t++) {
                vectors[i][t] = logged(windows.get(t).vector(schema), logged);
            }
        }
        return vectors;
    }

    /** @param vectors each window's logged vector, series by series ({@link #loggedVectors}) */
    private static WindowFeatureModel fit(WindowFeatures.Schema schema, List<WindowFeatures.Series> series,
                                          WindowFeatures.Fields fields, int history, long untilMillis,
                                          BiPredicate<WindowFeatures.Series, WindowFeatures.Window> normal,
                                          double[][][] vectors) {
        List<String> names = schema.names();
        boolean[] logged = loggedColumns(names);
        Map<String, WindowFeatures.Scaler> scalers = new LinkedHashMap<>();
        List<double[]> all = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            WindowFeatures.Series s = series.get(i);
            List<double[]> rows = new ArrayList<>();
            for (int t = 0; t < s.windows().size(); t++) {
                WindowFeatures.Window w = s.windows().get(t);
                if (w.start() < untilMillis && normal.test(s, w)) {
                    rows.add(vectors[i][t]);
                }
            }
            all.addAll(rows);
            scalers.put(s.name(), WindowFeatures.Scaler.fit(rows, names.size()));
        }
        return new WindowFeatureModel(FORMAT, schema, fields, history, logged, scalers,
                WindowFeatures.Scaler.fit(all, names.size()));
    }

    /** Every column but the error rate is read on a log scale. */
    private static boolean[] loggedColumns(List<String> names) {
        boolean[] logged = new boolean[names.size()];
        for (int j = 0; j < logged.length; j++) {
            logged[j] = !names.get(j).equals("error_rate");
        }
        return logged;
    }

    public Duration width() {
        return Duration.ofMillis(schema.widthMillis());
    }

    public List<String> names() {
        return schema.names();
    }

    public WindowFeatures.Scaler scaler(String series) {
        return scalers.getOrDefault(series, pooled);
    }

    /** The standardised vector of one window of a series ({@code service@host}). */
    public double[] row(WindowFeatures.Window w, String series) {
        return scaler(series).apply(logged(w.vector(schema), logged));
    }

    /**
     * The feature rows of a window whose series' standardised vectors are {@code rows} (oldest first, the window's
     * own last; fewer than the history at the series' start).
     */
    public FeatureRows rows(double[][] rows, String series) {
        WindowFeatures.Scaler s = scaler(series);
        return new FeatureRows(schema.names(), rows, rows.length - 1, history, s.mean(), s.std(), logged);
    }

    /** Every window of the series as a sequence (id {@link WindowFeatures#windowId}), series after series. */
    public List<Sequence> sequences(List<WindowFeatures.Series> series, Function<String, Label> labels) {
        // a loaded model reads its columns on the scales it was trained with
        return sequences(series, labels, loggedVectors(schema, logged, series));
    }

    private List<Sequence> sequences(List<WindowFeatures.Series> series, Function<String, Label> labels,
                                     double[][][] vectors) {
        List<Sequence> out = new ArrayList<>();
        List<String> names = schema.names();
        for (int i = 0; i < series.size(); i++) {
            WindowFeatures.Series x = series.get(i);
            WindowFeatures.Scaler s = scaler(x.name());
            double[][] rows = new double[x.windows().size()][];
            for (int t = 0; t < rows.length; t++) {
                rows[t] = s.apply(vectors[i][t]);
            }
            for (int t = 0; t < rows.length; t++) {
                WindowFeatures.Window w = x.windows().get(t);
                String id = WindowFeatures.windowId(x.service(), x.host(), w.start());
                out.add(new Sequence(id, w.keys(), labels.apply(id), List.of(),
                        new FeatureRows(names, rows, t, history, s.mean(), s.std(), logged)));
            }
        }
        return out;
    }

    private static double[] logged(double[] v, boolean[] logged) {
        for (int j = 0; j < v.length; j++) {
            if (logged[j]) {
                v[j] = Math.signum(v[j]) * Math.log1p(Math.abs(v[j]));
            }
        }
        return v;
    }

    /** The model of a model directory, or null when it has none. */
    public static WindowFeatureModel readIfPresent(Path modelDir) {
        Path f = modelDir.resolve(FILE);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(f.toFile(), WindowFeatureModel.class);
        } catch (IOException e) {
            Throwable c = e.getCause() instanceof AnomalogException a ? a : e;
            throw new AnomalogException("corrupt " + FILE + " in " + modelDir + ": " + c.getMessage(), e);
        }
    }

    public void save(Path modelDir) throws IOException {
        Files.createDirectories(modelDir);
        AtomicFiles.write(modelDir.resolve(FILE), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    }
}
