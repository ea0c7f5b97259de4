package io.anomalog.cli;

import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.io.TextFiles;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.log.LogReader;
import io.anomalog.core.session.Grouper;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.Drain;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.AnomalogException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Raw log files to sessions: read with a log format, parse with Drain into log keys, group by a session id.
 * When training, Drain learns templates into a new store (saved with the model); when detecting, it only looks
 * templates up in the model's store, and a line no template fits gets key {@link #UNMATCHED}, which no model
 * knows, so it is an anomaly.
 */
final class LogSessions {

    /** Key of a line that fits no template of the store. */
    static final int UNMATCHED = -1;
    /** File name of the template store inside a model directory. */
    static final String STORE_FILE = "template-store.json";

    private LogSessions() {
    }

    record Parsed(List<Sequence> sequences, List<DeadLetter> rejected, long lines, long unmatched) {
    }

    /**
     * Parses the files and groups their events with any {@link Grouper} (sessions by id, sliding or time windows).
     *
     * @param learn true: Drain may create templates in the store; false: only look them up
     */
    static Parsed read(List<Path> files, LogFormat format, Grouper grouper, TemplateStore store, boolean learn) {
        Drain drain = Drain.builder().store(store).build();
        List<ParsedEvent> events = new ArrayList<>();
        long lines = 0;
        long unmatched = 0;
        for (Path f : files) {
            try (LogReader reader = LogReader.open(f, format)) {
                while (reader.hasNext()) {
                    LogRecord r = reader.next();
                    lines++;
                    if (learn) {
                        events.add(drain.add(r));
                    } else {
                        var e = drain.match(r);
                        if (e.isPresent()) {
                            events.add(e.get());
                        } else {
                            unmatched++;
                            events.add(new ParsedEvent(r, UNMATCHED, null, List.of()));
                        }
                    }
                }
            }
        }
        if (learn) {
            // templates learned later may have generalised or absorbed earlier ones: give every event the final
            // id and text, the ones detection will see
            List<ParsedEvent> resolved = new ArrayList<>(events.size());
            for (ParsedEvent e : events) {
                int id = drain.resolve(e.templateId());
                resolved.add(new ParsedEvent(e.record(), id, drain.template(id).orElse(e.template()), e.parameters()));
            }
            events = resolved;
        }
        Grouper.Grouping g = grouper.group(events);
        return new Parsed(g.sequences(), g.rejected(), lines, unmatched);
    }

    /**
     * Reads a label file: CSV rows {@code id,label} (a header row is skipped), label {@code Anomaly}/{@code Normal},
     * {@code 1}/{@code 0} or {@code anomalous}/{@code normal}; further columns are ignored.
     */
    static Map<String, Label> labels(Path file) {
        Map<String, Label> out = new HashMap<>();
        try (BufferedReader r = TextFiles.reader(file)) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                String[] f = line.split(",", -1);
                if (f.length < 2) {
                    if (!line.isBlank()) {
                        throw new AnomalogException(file + ":" + n + ": expected id,label");
                    }
                    continue;
                }
                String v = f[1].strip().toLowerCase(Locale.ROOT);
                Label l = switch (v) {
                    case "anomaly", "anomalous", "abnormal", "1" -> Label.ANOMALOUS;
                    case "normal", "0" -> Label.NORMAL;
                    default -> null;
                };
                if (l == null) {
                    if (n == 1) {
                        continue; // header
                    }
                    throw new AnomalogException(file + ":" + n + ": label '" + f[1] + "' is not Anomaly/Normal/1/0");
                }
                out.put(f[0].strip(), l);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
