package io.anomalog.cli;

import io.anomalog.core.data.KeySequenceReader;
import io.anomalog.core.data.SessionLabels;
import io.anomalog.core.data.StructuredCsv;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Provenance;
import io.anomalog.core.features.WindowFeatureModel;
import io.anomalog.core.features.WindowFeatures;
import io.anomalog.core.ingest.DeadLetters;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.ingest.LogSequences;
import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.session.Grouper;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.MinerSettings;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.AnomalogException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where sequences come from, shared by train, detect and evaluate: key-sequence files (each with the label the
 * option implies), raw logs through the ingest pipeline, or loghub structured CSV; the last two grouped by
 * session id or into windows. Lines that cannot be used are counted, reported on standard error and written to
 * a dead-letter file.
 */
final class SequenceInput {

    /** The template store saved in a model directory trained on raw logs. */
    static final String STORE_FILE = "template-store.json";

    @Option(names = "--sessions", paramLabel = "FILE",
            description = "Key-sequence file (DeepLog layout, or id,keys); label unknown (normal for training).")
    List<Path> sessions = new ArrayList<>();

    @Option(names = "--normal", paramLabel = "FILE", description = "Key-sequence file of normal sequences.")
    List<Path> normal = new ArrayList<>();

    @Option(names = "--abnormal", paramLabel = "FILE", description = "Key-sequence file of anomalous sequences.")
    List<Path> abnormal = new ArrayList<>();

    @Option(names = "--labelled", paramLabel = "FILE", description = "CSV with a Sequence,label header (1 = anomalous).")
    List<Path> labelled = new ArrayList<>();

    @Option(names = "--logs", paramLabel = "FILE",
            description = "Raw log file(s) (.gz ok): parsed into log keys and grouped (--session-id, --window, ...).")
    List<Path> logs = new ArrayList<>();

    @Option(names = "--structured", paramLabel = "FILE",
            description = "loghub structured CSV file(s) (*_structured.csv): their EventIds are the log keys (E5 is key "
                    + "5), grouped like --logs; EventTemplate gives the template texts.")
    List<Path> structured = new ArrayList<>();

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Labels of sessions: CSV id,label (Anomaly/Normal or 1/0), e.g. loghub's anomaly_label.csv.")
    Path labels;

    @Option(names = "--dead-letter", paramLabel = "FILE",
            description = "Where lines that cannot be used go, with their reason (JSON lines; default: "
                    + "deadletter.jsonl in the model directory when training, anomalog-deadletter.jsonl otherwise).")
    Path deadLetter;

    @Mixin
    FormatOptions format;

    @Mixin
    GroupingOptions grouping;

    @Mixin
    MinerOptions miner;

    /**
     * What was read.
     *
     * @param sequences     the sequences, labelled as far as the input says
     * @param templateTexts template text by key (from --structured, or the mined templates of --logs)
     * @param provenance    where they came from, for a model's manifest
     * @param store         the template store of --logs (learnt when training, the model's when detecting), or null
     */
    record Read(List<Sequence> sequences, Map<Integer, String> templateTexts, Provenance provenance,
                TemplateStore store, WindowFeatureModel features) {
    }

    /** When training a method that judges window feature vectors: their history; 0 for methods reading keys. */
    private int featureHistory;

    /** Training: the windows of --logs get feature vectors, fitted on them, each with {@code history} rows. */
    SequenceInput withWindowFeatures(int history) {
        this.featureHistory = history;
        return this;
    }

    boolean isEmpty() {
        return sessions.isEmpty() && normal.isEmpty() && abnormal.isEmpty() && labelled.isEmpty() && logs.isEmpty()
                && structured.isEmpty();
    }

    /** Reads training data: raw logs are mined into a new template store. */
    Read forTraining(Path modelDir) {
        checkCombination();
        if (featureHistory > 0 && logs.isEmpty()) {
            throw new AnomalogException("this method judges time windows of JSON events by their fields: give them "
                    + "with --logs FILE --format json --time-window 1m");
        }
        if (!logs.isEmpty()) {
            FormatSpec f = format.spec(null);
            if (f == null) {
                throw new AnomalogException("--logs needs a log format: --format NAME (hdfs, bgl, raw, json, ...), "
                        + "--regex, --header, --format-file or --json-field");
            }
            grouping.refuseLiveOnly("train");
            GroupingSpec g = requireGrouping(null, "--logs");
            MinerSettings settings = miner.settings(MinerSettings.defaults());
            TemplateStore store = new TemplateStore();
            return readLogs(f, g, settings, store, MinerSettings.Mode.LEARN, false, Label.NORMAL,
                    deadLetter != null ? deadLetter : modelDir.resolve("deadletter.jsonl"), null);
        }
        return readOther(Label.NORMAL, null);
    }

    /**
     * Reads data to judge with a trained model: raw logs are parsed against the model's template store, with its
     * miner settings, and read with the model's format and grouping unless options say otherwise.
     */
    Read forDetection(Path modelDir, ModelManifest manifest, Label sessionsLabel) {
        checkCombination();
        Provenance trained = manifest.provenance();
        if (!logs.isEmpty()) {
            Path storeFile = modelDir.resolve(STORE_FILE);
            if (!Files.exists(storeFile)) {
                throw new AnomalogException("model " + modelDir + " has no template store (" + STORE_FILE
                        + "): it was trained on key files; train it with --logs to detect on raw logs");
            }
            TemplateStore store = TemplateStore.load(storeFile);
            manifest.requireTemplateStore(store.hash(), modelDir);
            FormatSpec f = format.spec(trained == null ? null : trained.format());
            if (f == null) {
                throw new AnomalogException("--logs needs a log format (--format NAME ...): the model does not say "
                        + "which one its training lines had");
            }
            grouping.refuseLiveOnly("detect");
            GroupingSpec g = requireGrouping(trained == null ? null : trained.groupingSpec(), "--logs");
            MinerSettings settings = miner.settings(MinerSettings.of(store.settings()));
            return readLogs(f, g, settings, store, MinerSettings.Mode.DETECT, miner.override, sessionsLabel,
                    deadLetter != null ? deadLetter : Path.of("anomalog-deadletter.jsonl"),
                    WindowFeatureModel.readIfPresent(modelDir));
        }
        if (WindowFeatureModel.readIfPresent(modelDir) != null) {
            throw new AnomalogException("model " + modelDir + " judges time windows of JSON events by their fields: "
                    + "give them with --logs");
        }
        return readOther(sessionsLabel, trained == null ? null : trained.groupingSpec());
    }

    /**
     * @param features the window feature model of the model detecting, or null (training fits one when
     *                 {@link #withWindowFeatures} asked for it)
     */
    private Read readLogs(FormatSpec f, GroupingSpec g, MinerSettings settings, TemplateStore store,
                          MinerSettings.Mode mode, boolean override, Label defaultLabel, Path deadLetterFile,
                          WindowFeatureModel features) {
        Function<String, Label> byId = labelsById(g, defaultLabel);
        try (DeadLetters dead = DeadLetters.file(deadLetterFile)) {
            IngestPipeline p = IngestPipeline.builder(f.resolve()).maxLineBytes(format.maxLineBytes())
                    .policy(format.policy()).miner(settings).mode(mode).overrideSettings(override)
                    .store(store, mode == MinerSettings.Mode.LEARN ? "(new)" : STORE_FILE).deadLetters(dead).build();
            LogSequences read = LogSequences.read(p, logs, g, byId);
            List<Sequence> seqs = read.sequences();
            if (features != null || featureHistory > 0) {
                Duration width = featureWidth(g, features);
                WindowFeatures.Fields fields = features != null ? features.fields() : WindowFeatures.Fields.DEFAULT;
                WindowFeatures.Accumulator acc = WindowFeatures.accumulator(width, fields);
                read.events().forEach(acc::add);
                List<WindowFeatures.Series> series = acc.finish();
                // windows per service and host, every width-long step of the input, empty ones included
                if (features == null) {
                    WindowFeatureModel.Fitted fitted = WindowFeatureModel.fitSequences(series, width, fields,
                            featureHistory, Long.MAX_VALUE, (x, w) -> true, byId);
                    features = fitted.model();
                    seqs = fitted.sequences();
                } else {
                    seqs = features.sequences(series, byId);
                }
            }
            if (seqs.isEmpty()) {
                throw new AnomalogException("no " + g.unit() + " in " + logs + ": " + p.stats().summary()
                        + (g instanceof GroupingSpec.Sessions s ? "; no line has a session id (" + s.ids().describe()
                        + ")" : ""));
            }
            System.err.printf("anomalog: %,d lines -> %,d %s (%,d events, %,d templates, %,d new)%s%n",
                    p.stats().lines(), seqs.size(), g.unit(), p.stats().events(), store.size(), p.newTemplates(),
                    p.stats().problems());
            if (dead.count() > 0) {
                System.err.printf("anomalog: %,d line(s) not used, written with their reason to %s%n", dead.count(),
                        deadLetterFile);
            }
            Map<Integer, String> texts = new TreeMap<>();
            for (ParsedEvent e : read.events()) {
                texts.putIfAbsent(e.templateId(), e.template());
            }
            Provenance prov = Provenance.of("logs", logs, f, g, settings.describe(), store.hash());
            return new Read(seqs, texts, prov, store, features);
        }
    }

    /** The window width of feature vectors: tumbling time windows, of the model's width when detecting. */
    private static Duration featureWidth(GroupingSpec g, WindowFeatureModel features) {
        if (!(g instanceof GroupingSpec.TimeWindows t) || !t.step().equals(t.size())) {
            throw new AnomalogException("window feature vectors are computed on time windows that do not overlap: "
                    + "group with --time-window DURATION (no step), got " + g.describe());
        }
        if (features != null && !t.size().equals(features.width())) {
            throw new AnomalogException("the model's feature vectors are of " + WindowFeatures.describe(
                    features.width()) + " windows, not " + WindowFeatures.describe(t.size())
                    + ": drop --time-window to use the model's");
        }
        return t.size();
    }

    /** Key files and structured CSV. */
    private Read readOther(Label sessionsLabel, GroupingSpec fallbackGrouping) {
        if (isEmpty()) {
            throw new AnomalogException("no input: give --sessions, --normal, --abnormal, --labelled, --structured "
                    + "or --logs");
        }
        List<Sequence> out = new ArrayList<>();
        List<DeadLetter> rejected = new ArrayList<>();
        Map<Integer, String> texts = new TreeMap<>();
        Provenance prov;
        if (!structured.isEmpty()) {
            grouping.refuseLiveOnly("this command");
            GroupingSpec g = requireGrouping(fallbackGrouping, "--structured");
            List<ParsedEvent> events = new ArrayList<>();
            for (Path p : structured) {
                StructuredCsv.Result r = StructuredCsv.read(p);
                events.addAll(r.events());
                rejected.addAll(r.rejected());
            }
            events.forEach(e -> texts.putIfAbsent(e.templateId(), e.template()));
            Grouper.Grouping grouped = g.grouper(labelsById(g, sessionsLabel)).group(events);
            rejected.addAll(grouped.rejected());
            System.err.printf("anomalog: %,d events -> %,d %s, %,d templates%n", events.size(),
                    grouped.sequences().size(), g.unit(), texts.size());
            out.addAll(grouped.sequences());
            prov = Provenance.of("structured", structured, null, g, null, null);
        } else {
            List<Path> files = new ArrayList<>();
            for (Path p : sessions) {
                add(KeySequenceReader.read(p, sessionsLabel), out, rejected);
                files.add(p);
            }
            for (Path p : normal) {
                add(KeySequenceReader.read(p, Label.NORMAL), out, rejected);
                files.add(p);
            }
            for (Path p : abnormal) {
                add(KeySequenceReader.read(p, Label.ANOMALOUS), out, rejected);
                files.add(p);
            }
            for (Path p : labelled) {
                KeySequenceReader.Result r = KeySequenceReader.read(p, Label.UNKNOWN);
                if (r.sequences().stream().anyMatch(q -> !q.label().isKnown())) {
                    // without the header the rows would be read as id,keys pairs: refuse instead of guessing
                    throw new AnomalogException(p + " is not a labelled CSV: its first line must be the header "
                            + "'Sequence,label' (rows: space-separated keys, then 0 or 1)");
                }
                add(r, out, rejected);
                files.add(p);
            }
            prov = Provenance.of("key-files", files, null, null, null, null);
        }
        if (!rejected.isEmpty()) {
            Path file = deadLetter != null ? deadLetter : Path.of("anomalog-deadletter.jsonl");
            try (DeadLetters dead = DeadLetters.file(file)) {
                rejected.forEach(dead::accept);
            }
            System.err.printf("anomalog: %d line(s) not used, written with their reason to %s:%n", rejected.size(), file);
            rejected.stream().limit(10).forEach(d ->
                    System.err.printf("  %s:%d: %s%n", d.source(), d.lineNumber(), d.reason()));
            if (rejected.size() > 10) {
                System.err.printf("  ... and %d more%n", rejected.size() - 10);
            }
        }
        return new Read(out, Collections.unmodifiableMap(texts), prov, null, null);
    }

    private GroupingSpec requireGrouping(GroupingSpec fallback, String input) {
        GroupingSpec g = grouping.spec(fallback, input);
        if (g == null) {
            throw new AnomalogException(input + " needs one way to group lines: --session-id REGEX, --session-field "
                    + "NAME, --window SIZE[,STEP] or --time-window DURATION[,STEP]");
        }
        if (labels != null && !(g instanceof GroupingSpec.Sessions)) {
            throw new AnomalogException("--labels name sessions by id; windows have no ids to label (use --session-id)");
        }
        return g;
    }

    private Function<String, Label> labelsById(GroupingSpec g, Label defaultLabel) {
        if (labels == null) {
            return id -> defaultLabel;
        }
        Map<String, Label> byId = SessionLabels.read(labels);
        return id -> byId.getOrDefault(id, Label.UNKNOWN);
    }

    /** Refuses option mixes where part of the input would be ignored without a word. */
    private void checkCombination() {
        boolean keyFiles = !sessions.isEmpty() || !normal.isEmpty() || !abnormal.isEmpty() || !labelled.isEmpty();
        int kinds = (keyFiles ? 1 : 0) + (logs.isEmpty() ? 0 : 1) + (structured.isEmpty() ? 0 : 1);
        if (kinds > 1) {
            throw new AnomalogException("give one kind of input: --logs, --structured, or key-sequence files "
                    + "(--sessions, --normal, --abnormal, --labelled)");
        }
        if (logs.isEmpty() && (format.given() || miner.given() || miner.override)) {
            throw new AnomalogException(format.names() + ", --depth, --similarity and --mask describe --logs files; "
                    + "no --logs given");
        }
        if (logs.isEmpty() && structured.isEmpty() && (grouping.given() || labels != null)) {
            throw new AnomalogException("--session-id, --session-field, --window, --time-window, the session options "
                    + "and --labels group --logs or --structured files; neither is given");
        }
    }

    private static void add(KeySequenceReader.Result r, List<Sequence> out, List<DeadLetter> rejected) {
        out.addAll(r.sequences());
        rejected.addAll(r.rejected());
    }
}
