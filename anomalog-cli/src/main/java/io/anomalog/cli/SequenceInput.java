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
        if (logs.isEmpty() && (format != null || sessionId != null || labels != null)) {
            throw new AnomalogException("--format, --session-id and --labels describe --logs files; no --logs given");
        }
    }

    /**
     * Parses and groups the --logs files. With {@code learn}, Drain creates templates in {@code store}; without,
     * it only looks them up (lines that fit none get an unknown key).
     */
    List<Sequence> readLogs(io.anomalog.core.template.TemplateStore store, boolean learn, Label defaultLabel) {
        checkCombination();
        if (format == null || sessionId == null) {
            throw new AnomalogException("--logs needs --format NAME and --session-id REGEX");
        }
        java.util.Map<String, Label> byId = labels == null ? java.util.Map.of() : LogSessions.labels(labels);
        LogSessions.Parsed p = LogSessions.read(logs, io.anomalog.core.log.LogFormats.byName(format), sessionId, store,
                learn, byId, labels == null ? defaultLabel : Label.UNKNOWN);
        System.err.printf("anomalog: %,d lines -> %,d sessions, %,d templates%s; %,d line(s) without a session id%n",
                p.lines(), p.sequences().size(), store.size(),
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
}
