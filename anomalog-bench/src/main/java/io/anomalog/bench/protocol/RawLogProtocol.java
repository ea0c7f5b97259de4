package io.anomalog.bench.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.eval.protocol.Protocol;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogReader;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.session.Grouper;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.SessionGrouper;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.template.MinerSettings;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A labelled raw log as a protocol, so that any unsupervised method can be judged from text with a held-out
 * test: the normal sessions are split in half with the seed; Drain learns templates from the lines of the
 * training half only; every line is then read against those templates as detection reads it (a line that fits
 * none gets a key of its own, derived from its text, that no model trained on the training half knows), grouped
 * into sessions by the session id, and the methods train on the training half and
 * judge the other normal sessions and every anomalous one. The split has no key vocabulary: the keys are the
 * template ids Drain gave.
 */
public final class RawLogProtocol implements Protocol {

    private final Path log;
    private final LogFormat format;
    private final String sessionIdPattern;
    private final Map<String, Label> labels;
    private final String labelSource;

    /**
     * @param log              the raw log file
     * @param format           its log format
     * @param sessionIdPattern regex of the session id in a line (e.g. {@code blk_-?\d+})
     * @param labels           label of each session id; sessions without one are not judged
     * @param labelSource      where the labels came from, for the report
     */
    public RawLogProtocol(Path log, LogFormat format, String sessionIdPattern, Map<String, Label> labels,
                          String labelSource) {
        this.log = log;
        this.format = format;
        this.sessionIdPattern = sessionIdPattern;
        this.labels = Map.copyOf(labels);
        this.labelSource = labelSource;
    }

    @Override
    public String name() {
        return "raw text: " + log.getFileName();
    }

    @Override
    public String description() {
        return "raw lines of " + log + " (format " + format.name() + ") grouped by `" + sessionIdPattern
                + "`, labels from " + labelSource + "; the normal sessions split in half with the seed, templates "
                + "learned from the training half's lines only";
    }

    public Path log() {
        return log;
    }

    @Override
    public Split load(DataDir data, long seed) {
        SessionGrouper grouper = Grouper.bySession().idPattern(sessionIdPattern)
                .labels(id -> labels.getOrDefault(id, Label.UNKNOWN)).build();
        List<LogRecord> records = new ArrayList<>();
        try (LogReader reader = LogReader.open(log, format)) {
            reader.forEachRemaining(records::add);
        }
        // normal session ids in order of first appearance, then a seeded half for training
        List<String> normalIds = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (LogRecord r : records) {
            for (String id : grouper.idsOf(new ParsedEvent(r, 0, null, List.of()))) {
                if (seen.add(id) && labels.get(id) == Label.NORMAL) {
                    normalIds.add(id);
                }
            }
        }
        Collections.shuffle(normalIds, new Random(seed));
        Set<String> train = new HashSet<>(normalIds.subList(0, normalIds.size() / 2));

        // templates from the training half's lines only, then every line read as detection reads it: a line no
        // learned template fits gets a key of its own, which no model trained on the training half knows
        TemplateStore store = new TemplateStore();
        IngestPipeline learn = IngestPipeline.builder(format).store(store).build();
        for (LogRecord r : records) {
            List<String> ids = grouper.idsOf(new ParsedEvent(r, 0, null, List.of()));
            if (ids.stream().anyMatch(train::contains)) {
                LogRecord admitted = learn.admit(r);
                if (admitted != null) {
                    learn.parse(admitted);
                }
            }
        }
        int learned = store.size();
        IngestPipeline detect = IngestPipeline.builder(format).store(store).mode(MinerSettings.Mode.DETECT).build();
        List<ParsedEvent> events = new ArrayList<>(records.size());
        long unmatched = 0;
        for (LogRecord r : records) {
            LogRecord admitted = detect.admit(r);
            ParsedEvent e = admitted == null ? null : detect.parse(admitted);
            if (e == null) {
                continue;
            }
            if (detect.isNewKey(e.templateId())) {
                unmatched++;
            }
            events.add(e);
        }
        List<Sequence> sessions = grouper.group(events).sequences();
        List<Sequence> training = sessions.stream().filter(s -> train.contains(s.id())).toList();
        List<Sequence> test = sessions.stream().filter(s -> !train.contains(s.id()) && s.label().isKnown()).toList();
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("log", log.toString());
        notes.put("format", format.name());
        notes.put("sessionId", sessionIdPattern);
        notes.put("labels", labelSource);
        notes.put("lines", records.size());
        // not "templates": that note names a template list file for the trainers
        notes.put("learnedTemplates", learned);
        notes.put("unmatchedLines", unmatched);
        notes.put("trainSessions", training.size());
        notes.put("testNormal", test.stream().filter(s -> s.label() == Label.NORMAL).count());
        notes.put("testAnomalous", test.stream().filter(s -> s.label() == Label.ANOMALOUS).count());
        return new Split(name(), training, List.of(), test, null, 0, notes);
    }
}
