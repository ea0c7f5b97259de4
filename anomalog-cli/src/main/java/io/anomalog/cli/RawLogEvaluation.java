package io.anomalog.cli;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Params;
import io.anomalog.core.eval.Evaluation;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogReader;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.session.Grouper;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.SessionGrouper;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.Drain;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.deeplog.DeepLogProvider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * DeepLog from raw text with a held-out test: the normal sessions of a labelled log are split in half (seeded);
 * Drain learns templates from the lines of the training half only; every line is then parsed against those
 * templates (a line that fits none gets an unknown key), grouped into sessions, and DeepLog trains on the
 * training half and judges the other normal sessions and all anomalous ones.
 */
final class RawLogEvaluation {

    record Outcome(int lines, int templates, int trainSessions, int testNormal, int testAnomalous, long unmatched,
                   Evaluation evaluation, double seconds) {
    }

    /** Key of a line that fits no template learned from the training half. */
    private static final int UNMATCHED = -1;

    private RawLogEvaluation() {
    }

    static Outcome run(Path log, LogFormat format, String sessionIdRegex, Path labelsFile, long seed,
                       Map<String, String> params, Progress progress) {
        long start = System.nanoTime();
        Map<String, Label> labels = io.anomalog.core.data.SessionLabels.read(labelsFile);
        SessionGrouper grouper = Grouper.bySession().idPattern(sessionIdRegex)
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

        Drain drain = io.anomalog.core.template.MinerSettings.defaults().miner(new TemplateStore(),
                io.anomalog.core.template.MinerSettings.Mode.LEARN);
        for (LogRecord r : records) {
            List<String> ids = grouper.idsOf(new ParsedEvent(r, 0, null, List.of()));
            if (ids.stream().anyMatch(train::contains)) {
                drain.add(r);
            }
        }
        List<ParsedEvent> events = new ArrayList<>(records.size());
        long unmatched = 0;
        for (LogRecord r : records) {
            var e = drain.match(r);
            if (e.isEmpty()) {
                unmatched++;
            }
            events.add(e.orElse(new ParsedEvent(r, UNMATCHED, null, List.of())));
        }
        List<Sequence> sessions = grouper.group(events).sequences();
        List<Sequence> training = sessions.stream().filter(s -> train.contains(s.id())).toList();
        List<Sequence> test = sessions.stream().filter(s -> !train.contains(s.id()) && s.label().isKnown()).toList();
        try (Detector d = new DeepLogProvider().trainer(new Params(params)).fit(training, null, progress)) {
            Evaluation e = Evaluation.of(test, d.scoreAll(test), 0);
            return new Outcome(records.size(), drain.size(), training.size(),
                    (int) test.stream().filter(s -> s.label() == Label.NORMAL).count(),
                    (int) test.stream().filter(s -> s.label() == Label.ANOMALOUS).count(), unmatched, e,
                    (System.nanoTime() - start) / 1e9);
        }
    }
}
