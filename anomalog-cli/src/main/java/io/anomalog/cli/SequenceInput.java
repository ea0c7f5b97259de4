package io.anomalog.cli;

import io.anomalog.core.data.KeySequenceReader;
import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where sequences come from, shared by train, detect and evaluate: key-sequence files (each with the label the
 * option implies), raw logs parsed with Drain, or loghub structured CSV; the last two grouped by session id or
 * into windows ({@link GroupingChoice}). Lines that cannot be used are reported on standard error with their
 * reason and counted.
 */
final class SequenceInput {

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
            description = "Raw log file(s): parsed into log keys (Drain) and grouped by --session-id, --window or --time-window.")
    List<Path> logs = new ArrayList<>();

    @Option(names = "--structured", paramLabel = "FILE",
            description = "loghub structured CSV file(s) (*_structured.csv): their EventIds are the log keys (E5 is key "
                    + "5), grouped by --session-id, --window or --time-window; EventTemplate gives the template texts.")
    List<Path> structured = new ArrayList<>();

    /** Template texts by key, from the --structured files read. */
    private final java.util.Map<Integer, String> structuredTexts = new java.util.TreeMap<>();

    @Option(names = "--format", paramLabel = "NAME",
            description = "Log format of --logs: a loghub system (hdfs, bgl, openstack, ...), raw, filebeat or json.")
    String format;

    @Option(names = "--session-id", paramLabel = "REGEX",
            description = "Session id in each line of --logs, e.g. 'blk_-?\\d+' (HDFS blocks); a line with several ids joins each session.")
    String sessionId;

    @Option(names = "--window", paramLabel = "SIZE[,STEP]",
            description = "Instead of --session-id: group --logs into sliding windows of SIZE events, a new one every "
                    + "STEP events (default STEP = SIZE, windows side by side).")
    String window;

    @Option(names = "--time-window", paramLabel = "DURATION[,STEP]",
            description = "Instead of --session-id: group --logs into windows of DURATION by the lines' timestamps "
                    + "(e.g. PT1M, or PT1M,PT30S for overlapping windows); needs --timestamp-format.")
    String timeWindow;

    @Option(names = "--timestamp-format", paramLabel = "PATTERN",
            description = "How the timestamp of --logs lines reads, for --time-window (java.time pattern, e.g. "
                    + "'yyMMdd HHmmss' for HDFS).")
    String timestampFormat;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Labels of --logs sessions: CSV id,label (Anomaly/Normal or 1/0), e.g. loghub's anomaly_label.csv.")
    Path labels;

    private GroupingChoice grouping(Label defaultLabel, String input) {
        return GroupingChoice.of(sessionId, window, timeWindow, timestampFormat, labels, defaultLabel, input);
    }

    boolean isEmpty() {
        return sessions.isEmpty() && normal.isEmpty() && abnormal.isEmpty() && labelled.isEmpty() && logs.isEmpty()
                && structured.isEmpty();
    }

    boolean hasLogs() {
        return !logs.isEmpty();
    }

    /** Refuses option mixes where part of the input would be ignored without a word. */
    private void checkCombination() {
        boolean keyFiles = !sessions.isEmpty() || !normal.isEmpty() || !abnormal.isEmpty() || !labelled.isEmpty();
        int kinds = (keyFiles ? 1 : 0) + (logs.isEmpty() ? 0 : 1) + (structured.isEmpty() ? 0 : 1);
        if (kinds > 1) {
            throw new AnomalogException("give one kind of input: --logs, --structured, or key-sequence files "
                    + "(--sessions, --normal, --abnormal, --labelled)");
        }
        if (logs.isEmpty() && format != null) {
            throw new AnomalogException("--format describes --logs files; no --logs given");
        }
        if (logs.isEmpty() && structured.isEmpty() && (sessionId != null || labels != null || window != null
                || timeWindow != null || timestampFormat != null)) {
            throw new AnomalogException("--session-id, --window, --time-window, --timestamp-format and --labels group "
                    + "--logs or --structured files; neither is given");
        }
    }

    /**
     * Parses and groups the --logs files. With {@code learn}, Drain creates templates in {@code store}; without,
     * it only looks them up (lines that fit none get an unknown key).
     */
    List<Sequence> readLogs(io.anomalog.core.template.TemplateStore store, boolean learn, Label defaultLabel) {
        checkCombination();
        if (format == null) {
            throw new AnomalogException("--logs needs --format NAME");
        }
        GroupingChoice g = grouping(defaultLabel, "--logs");
        LogSessions.Parsed p = LogSessions.read(logs, io.anomalog.core.log.LogFormats.byName(format), g.grouper(),
                store, learn);
        System.err.printf("anomalog: %,d lines -> %,d %s, %,d templates%s; %,d line(s) placed in none%n",
                p.lines(), p.sequences().size(), g.unit(), store.size(),
                learn ? "" : String.format(", %,d line(s) fit no template", p.unmatched()), p.rejected().size());
        return p.sequences();
    }

    /**
     * Reads every given file.
     *
     * @param sessionsLabel the label for {@code --sessions} files
     */
    List<Sequence> read(Label sessionsLabel) {
        if (isEmpty()) {
            throw new AnomalogException("no input: give --sessions, --normal, --abnormal, --labelled, --structured "
                    + "or --logs");
        }
        if (!logs.isEmpty()) {
            throw new AnomalogException("--logs needs a template store: this command reads key files only");
        }
        checkCombination();
        List<Sequence> out = new ArrayList<>();
        List<DeadLetter> rejected = new ArrayList<>();
        if (!structured.isEmpty()) {
            out.addAll(readStructured(sessionsLabel, rejected));
        }
        for (Path p : sessions) {
            add(KeySequenceReader.read(p, sessionsLabel), out, rejected);
        }
        for (Path p : normal) {
            add(KeySequenceReader.read(p, Label.NORMAL), out, rejected);
        }
        for (Path p : abnormal) {
            add(KeySequenceReader.read(p, Label.ANOMALOUS), out, rejected);
        }
        for (Path p : labelled) {
            KeySequenceReader.Result r = KeySequenceReader.read(p, Label.UNKNOWN);
            if (r.sequences().stream().anyMatch(q -> !q.label().isKnown())) {
                // without the header the rows would be read as id,keys pairs: refuse instead of guessing
                throw new AnomalogException(p + " is not a labelled CSV: its first line must be the header "
                        + "'Sequence,label' (rows: space-separated keys, then 0 or 1)");
            }
            add(r, out, rejected);
        }
        if (!rejected.isEmpty()) {
            System.err.printf("anomalog: %d line(s) not used:%n", rejected.size());
            rejected.stream().limit(10).forEach(d ->
                    System.err.printf("  %s:%d: %s%n", d.source(), d.lineNumber(), d.reason()));
            if (rejected.size() > 10) {
                System.err.printf("  ... and %d more%n", rejected.size() - 10);
            }
        }
        return out;
    }

    /** Template texts by key from the --structured files (empty for other input), for explanations. */
    java.util.Map<Integer, String> templateTexts() {
        return java.util.Collections.unmodifiableMap(structuredTexts);
    }

    private List<Sequence> readStructured(Label defaultLabel, List<DeadLetter> rejected) {
        GroupingChoice g = grouping(defaultLabel, "--structured");
        List<io.anomalog.core.template.ParsedEvent> events = new ArrayList<>();
        for (Path p : structured) {
            io.anomalog.core.data.StructuredCsv.Result r = io.anomalog.core.data.StructuredCsv.read(p);
            events.addAll(r.events());
            rejected.addAll(r.rejected());
        }
        events.forEach(e -> structuredTexts.putIfAbsent(e.templateId(), e.template()));
        io.anomalog.core.session.Grouper.Grouping grouped = g.grouper().group(events);
        rejected.addAll(grouped.rejected());
        System.err.printf("anomalog: %,d events -> %,d %s, %,d templates%n", events.size(),
                grouped.sequences().size(), g.unit(), structuredTexts.size());
        return grouped.sequences();
    }

    private static void add(KeySequenceReader.Result r, List<Sequence> out, List<DeadLetter> rejected) {
        out.addAll(r.sequences());
        rejected.addAll(r.rejected());
    }
}
