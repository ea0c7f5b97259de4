package io.anomalog.core.ingest;

import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.session.Grouper;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Raw log files to the sequences detectors judge: the files through an {@link IngestPipeline}, then grouped as
 * the {@link GroupingSpec} says. Events the grouping cannot place (no session id, no timestamp) go to the
 * pipeline's dead letters and its counts, like every other line problem.
 *
 * @param sequences the sessions or windows, in order
 * @param events    the parsed events, in log order
 */
public record LogSequences(List<Sequence> sequences, List<ParsedEvent> events) {

    /**
     * @param labels ground truth by session id (ignored by windows)
     */
    public static LogSequences read(IngestPipeline pipeline, List<Path> files, GroupingSpec grouping,
                                    Function<String, Label> labels) {
        return group(pipeline, pipeline.readAll(files), grouping, labels);
    }

    /** Groups events already parsed by the pipeline. */
    public static LogSequences group(IngestPipeline pipeline, List<ParsedEvent> events, GroupingSpec grouping,
                                     Function<String, Label> labels) {
        Grouper.Grouping g = grouping.grouper(labels).group(events);
        LineProblem problem = grouping instanceof GroupingSpec.TimeWindows ? LineProblem.NO_TIMESTAMP
                : LineProblem.NO_SESSION_ID;
        for (DeadLetter d : g.rejected()) {
            pipeline.rejectUngrouped(d, problem);
        }
        return new LogSequences(g.sequences(), events);
    }
}
