package io.anomalog.stream.topology;

import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.template.ParsedEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * A closed session's events read again from its stored lines, for detectors that judge times, parameters and
 * fields: each line through the pipeline's format, and its template looked up (never learned) for the parameter
 * values. The log key stays the one the line was given when it arrived, so keys and events line up.
 */
public final class LineEvents {

    private final IngestPipeline pipeline;

    public LineEvents(IngestPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** The events of lines known only by their text (a feedback record's), with the keys they were given. */
    public List<ParsedEvent> ofTexts(List<String> texts, int[] keys) {
        List<SessionState.Line> lines = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            lines.add(new SessionState.Line(i < keys.length ? keys[i] : -1, texts.get(i), null, "feedback", 0, i, -1));
        }
        return of(lines, keys);
    }

    List<ParsedEvent> of(List<SessionState.Line> lines, int[] keys) {
        List<ParsedEvent> out = new ArrayList<>(keys.length);
        for (int i = 0; i < keys.length; i++) {
            SessionState.Line l = i < lines.size() ? lines.get(i) : null;
            if (l == null) {
                out.add(new ParsedEvent(LogRecord.ofContent(""), keys[i], null, List.of()));
                continue;
            }
            LogRecord r = pipeline.format().parse(l.text(), l.topic(), l.offset(), l.fileOffset());
            ParsedEvent e = pipeline.miner().match(r).orElse(null);
            out.add(e == null ? new ParsedEvent(r, keys[i], null, List.of())
                    : new ParsedEvent(r, keys[i], e.template(), e.parameters()));
        }
        return out;
    }
}
