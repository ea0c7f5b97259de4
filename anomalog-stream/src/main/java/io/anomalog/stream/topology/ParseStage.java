package io.anomalog.stream.topology;

import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.stream.metrics.StreamMetrics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.util.Map;
import java.util.Set;

/**
 * Stage 2, parse: a record's template and log key from the ingest pipeline's miner (the model's template store,
 * in detection mode: a line no template fits opens a new one, with a key derived from its text). A template the
 * model has no key for is published once to {@code anomalog.templates}; every parsed event is published to
 * {@code logs.parsed} when that is on.
 */
final class ParseStage implements Processor<String, LogRecord, String, Object> {

    private final IngestPipeline pipeline;
    private final StreamMetrics metrics;
    private final Set<Integer> vocabulary;
    /** Text of each template the model has no key for, shared by the stream threads: anomaly records name them. */
    private final Map<Integer, String> unknownTemplates;
    private final boolean publishParsed;
    private ProcessorContext<String, Object> context;
    private StageDeadLetters deadLetters;

    ParseStage(DetectorTopology.Settings s) {
        this.pipeline = s.pipeline;
        this.metrics = s.metrics;
        this.vocabulary = s.vocabulary;
        this.unknownTemplates = s.unknownTemplates;
        this.publishParsed = s.publishParsed;
    }

    @Override
    public void init(ProcessorContext<String, Object> ctx) {
        this.context = ctx;
        this.deadLetters = new StageDeadLetters(ctx, metrics);
    }

    @Override
    public void process(Record<String, LogRecord> record) {
        ParsedEvent e = pipeline.parse(record.value(), deadLetters);
        if (e == null) {
            return;
        }
        metrics.parsed.increment();
        int key = e.templateId();
        if (!vocabulary.contains(key) && unknownTemplates.putIfAbsent(key, e.template()) == null) {
            // a template the model never saw: shared so every instance and reader knows the new key
            metrics.newTemplates.increment();
            context.forward(new Record<>(String.valueOf(key), (Object) e.template(), record.timestamp()),
                    DetectorTopology.TEMPLATES_SINK);
        }
        if (publishParsed) {
            RecordMetadata meta = context.recordMetadata().orElse(null);
            context.forward(new Record<>(record.key(), (Object) ParsedEventRecord.of(record.key(),
                    meta == null ? "?" : meta.topic(), meta == null ? -1 : meta.partition(),
                    meta == null ? -1 : meta.offset(), e), record.timestamp()), DetectorTopology.PARSED_SINK);
        }
        context.forward(new Record<>(record.key(), (Object) e, record.timestamp()), DetectorTopology.GROUP);
    }
}
