package io.anomalog.stream.topology;

import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.template.ParsedEvent;
import org.apache.kafka.streams.processor.api.Processor;

/** The grouping stages, for benchmarks that drive one stage on its own. */
public final class SessionStages {

    private SessionStages() {
    }

    /** The sessions stage with these settings. */
    public static Processor<String, Object, String, Object> sessions(DetectorTopology.Settings settings,
                                                                        GroupingSpec.Sessions spec) {
        settings.resolvePunctuateInterval();
        return new SessionStage(settings, spec);
    }
}
