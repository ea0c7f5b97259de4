package io.anomalog.stream.topology;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.stream.metrics.StreamMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stage 4, score: the sessions or windows closed together are judged in one call (the detector batches its
 * forward passes), and each anomalous one becomes an {@link AnomalyRecord} with its lines, keys, explanation and
 * times, published to {@code anomalies}.
 */
final class ScoreStage implements Processor<String, List<ClosedGroup>, String, AnomalyRecord> {

    private final LiveModel model;
    private final StreamMetrics metrics;
    private final Map<Integer, String> unknownTemplates;
    private final LineEvents events;
    private ProcessorContext<String, AnomalyRecord> context;

    ScoreStage(DetectorTopology.Settings s) {
        this.model = s.model;
        this.metrics = s.metrics;
        this.unknownTemplates = s.unknownTemplates;
        this.events = new LineEvents(s.pipeline);
    }

    @Override
    public void init(ProcessorContext<String, AnomalyRecord> ctx) {
        this.context = ctx;
    }

    @Override
    public void process(Record<String, List<ClosedGroup>> record) {
        List<ClosedGroup> closed = record.value();
        // one version judges the whole batch, even when a newer one arrives meanwhile
        LiveModel.Current current = model.current();
        Detector detector = current.detector();
        List<Sequence> sequences = new ArrayList<>(closed.size());
        List<List<SessionState.Line>> linesRead = new ArrayList<>(closed.size());
        for (ClosedGroup g : closed) {
            if (g.features() != null) {
                // a time window's feature vectors, computed by the window stage as batch computes them
                linesRead.add(null);
                sequences.add(new Sequence(g.id(), g.keys(), Label.UNKNOWN, List.of(), g.features()));
            } else if (detector.needsEvents()) {
                // the detector reads times, parameters and fields: the events are read again from the stored lines
                List<SessionState.Line> lines = g.lines().get();
                linesRead.add(lines);
                sequences.add(new Sequence(g.id(), g.keys(), Label.UNKNOWN, events.of(lines, g.keys())));
            } else {
                linesRead.add(null);
                sequences.add(new Sequence(g.id(), g.keys(), Label.UNKNOWN));
            }
        }
        List<Verdict> verdicts = detector.scoreAll(sequences);
        long detectedAt = context.currentSystemTimeMs();
        for (int i = 0; i < closed.size(); i++) {
            metrics.sessionsClosed.increment();
            Verdict v = verdicts.get(i);
            if (!v.anomalous()) {
                continue;
            }
            ClosedGroup g = closed.get(i);
            // only anomalous groups need their lines back (unless the detector read them already)
            List<SessionState.Line> lines = linesRead.get(i) != null ? linesRead.get(i) : g.lines().get();
            if (lines.isEmpty() && g.features() == null) {
                continue;
            }
            // a window of a series that logged nothing (a silent service) is judged too, and has no lines
            SessionState.Line first = lines.isEmpty() ? null : lines.get(0);
            AnomalyRecord a = new AnomalyRecord(AnomalyRecord.idOf(g.host(), g.id(), first), g.host(), g.id(), g.keys(), lines, v.score(),
                    v.explanation() == null ? null : v.explanation().summary(), v.explanation(),
                    unknownTemplates(g.keys(), current.vocabulary()), detector.method(), current.version(),
                    g.closeReason(),
                    first == null ? null : first.timestamp(), Instant.ofEpochMilli(g.firstSeenMillis()).toString(),
                    Instant.ofEpochMilli(g.closedAtMillis()).toString(), Instant.ofEpochMilli(detectedAt).toString());
            context.forward(new Record<>(g.host() + "/" + g.id(), a, g.closedAtMillis()),
                    DetectorTopology.ANOMALIES_SINK);
            metrics.anomalies.increment();
        }
    }

    /** The texts of a session's keys that the model has no key for, or null when there are none. */
    private Map<Integer, String> unknownTemplates(int[] keys, java.util.Set<Integer> known) {
        Map<Integer, String> out = new TreeMap<>();
        for (int k : keys) {
            String text = unknownTemplates.get(k);
            if (text != null && !known.contains(k)) {
                out.put(k, text);
            }
        }
        return out.isEmpty() ? null : out;
    }
}
