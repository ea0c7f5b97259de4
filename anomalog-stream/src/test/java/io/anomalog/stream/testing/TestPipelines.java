package io.anomalog.stream.testing;

import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.template.MinerSettings;
import io.anomalog.core.template.TemplateStore;

/** Detection pipelines over a template store that knows the given templates, with ids 1, 2, 3 ... in order. */
public final class TestPipelines {

    private TestPipelines() {
    }

    /** The store a model trained on these templates would come with. */
    public static TemplateStore store(String... templates) {
        TemplateStore store = new TemplateStore();
        for (String t : templates) {
            store.create(t);
        }
        return store;
    }

    /** Raw lines (the whole line is the message). */
    public static IngestPipeline detecting(String... templates) {
        return detecting(LogFormats.raw(), templates);
    }

    public static IngestPipeline detecting(LogFormat format, String... templates) {
        return IngestPipeline.builder(format).store(store(templates)).mode(MinerSettings.Mode.DETECT).build();
    }
}
