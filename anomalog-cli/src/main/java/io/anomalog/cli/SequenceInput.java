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

    boolean isEmpty() {
        return sessions.isEmpty() && normal.isEmpty() && abnormal.isEmpty() && labelled.isEmpty();
    }

    /**
     * Reads every given file.
     *
     * @param sessionsLabel the label for {@code --sessions} files
     */
    List<Sequence> read(Label sessionsLabel) {
        if (isEmpty()) {
            throw new AnomalogException("no input: give --sessions, --normal, --abnormal or --labelled");
        }
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
            add(KeySequenceReader.read(p, Label.UNKNOWN), out, rejected);
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
