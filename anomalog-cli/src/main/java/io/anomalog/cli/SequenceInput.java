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
 * Where sequences come from, shared by train, detect and evaluate: key-sequence files, each with the label the
 * option implies. Lines that cannot be used are reported on standard error with their reason and counted.
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
            description = "Raw log file(s): parsed into log keys (Drain) and grouped into sessions by --session-id.")
    List<Path> logs = new ArrayList<>();

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

    boolean isEmpty() {
        return sessions.isEmpty() && normal.isEmpty() && abnormal.isEmpty() && labelled.isEmpty() && logs.isEmpty();
    }

    boolean hasLogs() {
        return !logs.isEmpty();
    }

    /** Refuses option mixes where part of the input would be ignored without a word. */
    private void checkCombination() {
        boolean keyFiles = !sessions.isEmpty() || !normal.isEmpty() || !abnormal.isEmpty() || !labelled.isEmpty();
        if (!logs.isEmpty() && keyFiles) {
            throw new AnomalogException("give either --logs or key-sequence files (--sessions, --normal, --abnormal, "
                    + "--labelled), not both");
        }
        if (logs.isEmpty() && (format != null || sessionId != null || labels != null || window != null
                || timeWindow != null || timestampFormat != null)) {
            throw new AnomalogException("--format, --session-id, --window, --time-window, --timestamp-format and "
                    + "--labels describe --logs files; no --logs given");
        }
    }

    /**
     * Parses and groups the --logs files. With {@code learn}, Drain creates templates in {@code store}; without,
     * it only looks them up (lines that fit none get an unknown key).
     */
    List<Sequence> readLogs(io.anomalog.core.template.TemplateStore store, boolean learn, Label defaultLabel) {
        checkCombination();
        int groupings = (sessionId != null ? 1 : 0) + (window != null ? 1 : 0) + (timeWindow != null ? 1 : 0);
        if (format == null || groupings != 1) {
            throw new AnomalogException("--logs needs --format NAME and one way to group lines: --session-id REGEX, "
                    + "--window SIZE[,STEP] or --time-window DURATION[,STEP]");
        }
        if (labels != null && sessionId == null) {
            throw new AnomalogException("--labels name sessions by id; windows have no ids to label (use --session-id)");
        }
        if (timestampFormat != null && timeWindow == null) {
            throw new AnomalogException("--timestamp-format is read by --time-window only");
        }
        io.anomalog.core.session.Grouper grouper;
        String unit;
        if (sessionId != null) {
            java.util.Map<String, Label> byId = labels == null ? java.util.Map.of() : LogSessions.labels(labels);
            Label fallback = labels == null ? defaultLabel : Label.UNKNOWN;
            grouper = io.anomalog.core.session.Grouper.bySession().idPattern(sessionId)
                    .labels(id -> byId.getOrDefault(id, fallback)).build();
            unit = "sessions";
        } else if (window != null) {
            int[] sizeStep = windowSizeStep(window);
            grouper = io.anomalog.core.session.Grouper.slidingWindow().size(sizeStep[0]).step(sizeStep[1]).build();
            unit = "windows";
        } else {
            if (timestampFormat == null) {
                throw new AnomalogException("--time-window needs --timestamp-format PATTERN (e.g. 'yyMMdd HHmmss')");
            }
            String[] parts = timeWindow.split(",", -1);
            var b = io.anomalog.core.session.Grouper.timeWindow().size(duration(parts[0], "--time-window"))
                    .timestampFormat(timestampFormat);
            if (parts.length > 1) {
                b.step(duration(parts[1], "--time-window step"));
            }
            grouper = b.build();
            unit = "windows";
        }
        LogSessions.Parsed p = LogSessions.read(logs, io.anomalog.core.log.LogFormats.byName(format), grouper, store,
                learn);
        System.err.printf("anomalog: %,d lines -> %,d %s, %,d templates%s; %,d line(s) placed in none%n",
                p.lines(), p.sequences().size(), unit, store.size(),
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
            throw new AnomalogException("no input: give --sessions, --normal, --abnormal, --labelled or --logs");
        }
        if (!logs.isEmpty()) {
            throw new AnomalogException("--logs needs a template store: this command reads key files only");
        }
        checkCombination();
        List<Sequence> out = new ArrayList<>();
        List<DeadLetter> rejected = new ArrayList<>();
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

    private static void add(KeySequenceReader.Result r, List<Sequence> out, List<DeadLetter> rejected) {
        out.addAll(r.sequences());
        rejected.addAll(r.rejected());
    }

    private static int[] windowSizeStep(String text) {
        String[] parts = text.split(",", -1);
        try {
            int size = Integer.parseInt(parts[0].trim());
            int step = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : size;
            if (parts.length > 2 || size < 1 || step < 1) {
                throw new NumberFormatException();
            }
            return new int[]{size, step};
        } catch (NumberFormatException e) {
            throw new AnomalogException("--window must be SIZE or SIZE,STEP with whole numbers >= 1, not '" + text + "'");
        }
    }

    private static java.time.Duration duration(String text, String what) {
        try {
            java.time.Duration d = java.time.Duration.parse(text.trim());
            if (d.isZero() || d.isNegative()) {
                throw new java.time.format.DateTimeParseException("not positive", text, 0);
            }
            return d;
        } catch (java.time.format.DateTimeParseException e) {
            throw new AnomalogException(what + " must be a positive ISO-8601 duration such as PT1M, not '" + text + "'");
        }
    }
}
