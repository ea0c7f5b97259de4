package io.anomalog.bench.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.eval.protocol.Protocol;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.features.WindowFeatureModel;
import io.anomalog.core.features.WindowFeatures;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.log.JsonFormat;
import io.anomalog.core.log.LogReader;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.MinerSettings;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.stream.simulate.ServiceAnomaly;
import io.anomalog.stream.simulate.ServicesSimulator;
import io.anomalog.stream.simulate.ServicesWriter;
import io.anomalog.stream.simulate.WindowLabels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The multi-service protocol on a folder written by {@code anomalog simulate services}: the JSON entries of every
 * host are read through the ingest pipeline, cut into time windows per service and host (default 1 minute) and
 * turned into {@link WindowFeatures} vectors; the windows are split in time, 70 % for training, the next 15 % for
 * validation and the last 15 % for testing, as in the multi-service study. Templates are learned from the
 * training span's entries only (later entries are read as detection reads them); the schema's status and template
 * columns (those in at least {@value #MIN_SHARE} of the training windows; rarer ones count as other) and the
 * standardisation come from the training windows: every value but the error rate is taken as
 * {@code log(1 + v)} (counts and response times have long tails), then centred and scaled by the mean and standard
 * deviation of the same service and host's normal training windows. A
 * window is anomalous when an injected anomaly acts on its host during it ({@code anomalies.csv}); each window
 * carries its own vector and the {@code history - 1} before it of the same series, so every method judges the same
 * windows on the same vectors.
 */
public final class ServicesProtocol implements Protocol {

    public static final String NAME = "services";
    public static final int DEFAULT_HISTORY = 4;
    /** A status code or template gets a column of its own when at least this share of training windows hold it. */
    public static final double MIN_SHARE = WindowFeatureModel.MIN_SHARE;

    private final Path dir;
    private final Duration width;
    private final int history;
    private Measured measured;

    /** What loading measured: entries read, seconds reading and parsing, seconds in the feature extractor. */
    public record Measured(long entries, double parseSeconds, double featureSeconds, int templates) {
        public double featureEntriesPerSecond() {
            return entries / featureSeconds;
        }
    }

    /**
     * @param dir     a folder written by {@code anomalog simulate services}
     * @param width   the window width
     * @param history windows per judged sequence (the window and those before it)
     */
    public ServicesProtocol(Path dir, Duration width, int history) {
        if (width.isNegative() || width.isZero() || width.toMillis() % 1000 != 0) {
            throw new AnomalogException("the window width must be a positive number of seconds, got " + width);
        }
        if (history < 1) {
            throw new AnomalogException("the history must be at least 1 window, got " + history);
        }
        this.dir = dir;
        this.width = width;
        this.history = history;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "JSON entries of " + dir + " (anomalog simulate services) in " + WindowFeatures.describe(width)
                + " windows per service and host, split in time 70/15/15 (train/validation/test); each window's "
                + "feature vector (log(1 + v) but for the error rate) standardised with its service and host's normal "
                + "training windows', "
                + "with the " + (history - 1)
                + " windows before it; a window is anomalous when it holds an entry an injected anomaly wrote or "
                + "changed, or its service is silenced in it";
    }

    /** Which kinds of anomaly act on each window, by sequence id (normal windows are absent). */
    private final Map<String, Set<String>> kinds = new HashMap<>();

    public Map<String, Set<String>> kinds() {
        return kinds;
    }

    public Measured measured() {
        return measured;
    }

    @Override
    public Split load(DataDir ignored, long seed) {
        Properties settings = ServicesWriter.readSettings(dir);
        List<ServiceAnomaly> anomalies = ServicesWriter.readAnomalies(dir);
        long w = width.toMillis();
        long first = Math.floorDiv(Instant.parse(settings.getProperty("start")).toEpochMilli(), w) * w;
        long last = Math.floorDiv(Instant.parse(settings.getProperty("end")).toEpochMilli() - 1, w) * w;
        long windows = (last - first) / w + 1;
        long trainEnd = first + Math.round(windows * 0.70) * w;
        long valEnd = first + Math.round(windows * 0.85) * w;
        if (trainEnd <= first || valEnd <= trainEnd || valEnd > last) {
            throw new AnomalogException("the simulation in " + dir + " spans " + windows + " windows of "
                    + WindowFeatures.describe(width) + ": too few to split 70/15/15");
        }
        List<Path> files = new ArrayList<>();
        List<String> hosts = List.of(settings.getProperty("hosts").split(","));
        for (String host : hosts) {
            Path f = ServicesWriter.logFile(dir, host);
            if (!Files.isRegularFile(f)) {
                throw new AnomalogException("missing " + f + ": the folder is incomplete; simulate again");
            }
            files.add(f);
        }

        // templates from the training span only; then every entry read as detection reads it
        long t0 = System.nanoTime();
        JsonFormat format = JsonFormat.filebeat();
        TemplateStore store = new TemplateStore();
        IngestPipeline learn = IngestPipeline.builder(format).store(store).build();
        for (Path f : files) {
            try (LogReader reader = learn.open(f)) {
                while (reader.hasNext()) {
                    LogRecord r = learn.admit(reader.next());
                    if (r != null && r.time() != null && r.time().toEpochMilli() < trainEnd) {
                        learn.parse(r);
                    }
                }
            }
        }
        IngestPipeline detect = IngestPipeline.builder(format).store(store).mode(MinerSettings.Mode.DETECT).build();
        WindowFeatures.Accumulator acc = WindowFeatures.accumulator(width, WindowFeatures.Fields.DEFAULT);
        // the simulator's marks on its entries say which windows show an anomaly (WindowLabels), at this width
        Map<String, Map<Long, Integer>> marked = ServicesWriter.readEntryAnomalies(dir);
        WindowLabels labels = new WindowLabels(w);
        long entries = 0;
        long featureNanos = 0;
        List<ParsedEvent> chunk = new ArrayList<>(8192);
        for (int h = 0; h < files.size(); h++) {
            Path f = files.get(h);
            String host = hosts.get(h);
            Map<Long, Integer> marks = marked.getOrDefault(host, Map.of());
            try (LogReader reader = detect.open(f)) {
                while (reader.hasNext()) {
                    LogRecord r = detect.admit(reader.next());
                    Integer mark = r == null ? null : marks.get(r.lineNumber());
                    if (mark != null && r.time() != null) {
                        labels.entry(host, r.time().toEpochMilli(), mark);
                    }
                    ParsedEvent e = r == null ? null : detect.parse(r);
                    if (e != null) {
                        chunk.add(e);
                    }
                    if (chunk.size() == 8192 || !reader.hasNext()) {
                        long s = System.nanoTime();
                        chunk.forEach(acc::add);
                        featureNanos += System.nanoTime() - s;
                        entries += chunk.size();
                        chunk.clear();
                    }
                }
            }
        }
        double parseSeconds = (System.nanoTime() - t0 - featureNanos) / 1e9;
        long s = System.nanoTime();
        List<WindowFeatures.Series> series = acc.finish();
        // labels first: the standardisation is each service and host's normal training windows'; they are the
        // protocol's, not the extractor's work, so their time is not counted as the features'
        long labelStart = System.nanoTime();
        kinds.clear();
        for (WindowFeatures.Series x : series) {
            List<ServiceAnomaly> here = new ArrayList<>();
            for (ServiceAnomaly a : anomalies) {
                if (a.hosts().contains(x.host())) {
                    here.add(a);
                }
            }
            for (WindowFeatures.Window win : x.windows()) {
                Set<String> k = labels.kinds(x.host(), win.start(), here);
                if (!k.isEmpty()) {
                    kinds.put(id(x, win.start()), k);
                }
            }
        }
        long labelNanos = System.nanoTime() - labelStart;
        // the same fitted feature model that train, detect and the stream use
        WindowFeatureModel.Fitted fitted = WindowFeatureModel.fitSequences(series, width, WindowFeatures.Fields.DEFAULT,
                history, trainEnd, (x, win) -> !kinds.containsKey(id(x, win.start())),
                id -> kinds.containsKey(id) ? Label.ANOMALOUS : Label.NORMAL);
        WindowFeatureModel features = fitted.model();
        List<String> names = features.names();
        List<Sequence> all = fitted.sequences();
        featureNanos += System.nanoTime() - s - labelNanos;
        measured = new Measured(entries, parseSeconds, featureNanos / 1e9, store.size());

        List<Sequence> train = new ArrayList<>();
        List<Sequence> validation = new ArrayList<>();
        List<Sequence> test = new ArrayList<>();
        for (Sequence q : all) {
            long start = Instant.parse(q.id().substring(q.id().lastIndexOf('@') + 1)).toEpochMilli();
            (start < trainEnd ? train : start < valEnd ? validation : test).add(q);
        }
        // chronological order across series, as the windows happened
        java.util.Comparator<Sequence> byTime = java.util.Comparator.comparing(q -> q.id().substring(q.id()
                .lastIndexOf('@') + 1));
        train.sort(byTime);
        validation.sort(byTime);
        test.sort(byTime);

        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("data", dir.toString());
        notes.put("entries", entries);
        notes.put("seed of the simulation", settings.getProperty("seed"));
        notes.put("anomalies injected", anomalies.size());
        notes.put("window", WindowFeatures.describe(width) + " per service and host");
        notes.put("series (service@host)", series.size());
        notes.put("features", names.size());
        notes.put("learned templates", store.size());
        notes.put("train windows (normal/anomalous)", count(train));
        notes.put("validation windows (normal/anomalous)", count(validation));
        notes.put("test windows (normal/anomalous)", count(test));
        notes.put("train span", Instant.ofEpochMilli(first) + " to " + Instant.ofEpochMilli(trainEnd));
        notes.put("test span", Instant.ofEpochMilli(valEnd) + " to " + Instant.ofEpochMilli(last + w));
        // suggested parameters: the reconstruction sequence length; the classifiers read the standardised
        // vectors as they are (no TF-IDF on values that are not counts); the moving average follows the series
        notes.put("reconstruction.history", history);
        notes.put("svm-rbf.weighting", "none");
        notes.put("tree.weighting", "none");
        notes.put("moving-average.alpha", 0.2);
        return new Split(NAME, train, validation, test, null, 0, notes);
    }

    private static String id(WindowFeatures.Series x, long start) {
        return WindowFeatures.windowId(x.service(), x.host(), start);
    }

    private static String count(List<Sequence> q) {
        long a = q.stream().filter(s -> s.label() == Label.ANOMALOUS).count();
        return (q.size() - a) + " / " + a;
    }

    /** The hosts of a simulation, for callers that check a folder. */
    public static List<String> hosts() {
        return ServicesSimulator.HOSTS;
    }
}
