package io.anomalog.stream.topology;

import io.anomalog.core.ingest.DeadLetters;
import io.anomalog.core.io.DeadLetter;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.metrics.StreamMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The dead letters of one stage: forwarded to the {@code anomalog.deadletter} sink with the input record's
 * topic, partition and offset as their origin, so a reader can find the record; part of the same transaction as
 * everything else the stage writes.
 */
final class StageDeadLetters implements DeadLetters {

    private final ProcessorContext<?, ?> context;
    private final StreamMetrics metrics;
    private long count;

    StageDeadLetters(ProcessorContext<?, ?> context, StreamMetrics metrics) {
        this.context = context;
        this.metrics = metrics;
    }

    @Override
    public void accept(DeadLetter letter) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String source = meta == null ? letter.source() : meta.topic() + "-" + meta.partition();
        long offset = meta == null ? letter.lineNumber() : meta.offset();
        DeadLetter dl = new DeadLetter(source, offset, letter.reason(), letter.text());
        // every stage runs in the sub-topology of the logs.<host> source: the input topic names the host
        metrics.deadLetter(meta == null ? null : Topics.hostOf(meta.topic()));
        count++;
        @SuppressWarnings("unchecked")
        ProcessorContext<String, DeadLetter> c = (ProcessorContext<String, DeadLetter>) context;
        c.forward(new Record<>(source + "@" + offset, dl, context.currentSystemTimeMs()),
                DetectorTopology.DEAD_LETTER_SINK);
    }

    @Override
    public long count() {
        return count;
    }
}
