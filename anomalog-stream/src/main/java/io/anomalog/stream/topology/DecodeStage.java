package io.anomalog.stream.topology;

import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.ingest.LineProblem;
import io.anomalog.core.log.JsonFormat;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogRecord;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.ship.FilebeatEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Stage 1, decode: a {@code logs.<host>} record's bytes to a {@link LogRecord}. A shipper's (or Filebeat's) JSON
 * envelope is unwrapped first: its message is the line, and its host, file and byte offset say where the line
 * came from. Then the line goes through the ingest pipeline's format and bad-line policy, exactly as a batch
 * command reads a file. Records that cannot be used go to the dead letters with their reason.
 */
final class DecodeStage implements Processor<byte[], byte[], String, Object> {

    private final IngestPipeline pipeline;
    private final StreamMetrics metrics;
    /** JSON formats read application JSON events themselves; a text format only wants an envelope's message. */
    private final boolean jsonFormat;
    /** Filebeat's own events are the event: the envelope is not unwrapped. */
    private final boolean filebeatFormat;
    private ProcessorContext<String, Object> context;
    private StageDeadLetters deadLetters;
    /** Hosts whose lines come from {@code anomalog ship}, told to the grouping stage once since this start. */
    private final java.util.Set<String> shipperHosts = new java.util.HashSet<>();

    DecodeStage(IngestPipeline pipeline, StreamMetrics metrics) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        LogFormat f = pipeline.format();
        this.jsonFormat = f instanceof JsonFormat;
        this.filebeatFormat = jsonFormat && f.name().equals("filebeat");
    }

    @Override
    public void init(ProcessorContext<String, Object> ctx) {
        this.context = ctx;
        this.deadLetters = new StageDeadLetters(ctx, metrics);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? "?" : meta.topic();
        long kafkaOffset = meta == null ? -1 : meta.offset();
        byte[] value = record.value();
        String host = Topics.hostOf(topic);
        if (FilebeatEvent.isHeartbeat(value)) {
            // no line: it only moves the host's time on, for the grouping stage
            metrics.heartbeats.increment();
            context.forward(new Record<>(host == null ? "unknown" : host, (Object) Tick.HEARTBEAT,
                    record.timestamp()), DetectorTopology.GROUP);
            return;
        }
        if (FilebeatEvent.isStopped(value)) {
            if (host != null) {
                shipperHosts.remove(host);
            }
            context.forward(new Record<>(host == null ? "unknown" : host, (Object) Tick.STOPPED,
                    record.timestamp()), DetectorTopology.GROUP);
            return;
        }
        metrics.recordsIn.increment();
        if (host != null && FilebeatEvent.isFromShipper(value) && shipperHosts.add(host)) {
            // the host's shipper sends heartbeats: the grouping stage's clock for it must know that from this
            // first line, or after a restart a shipper's wait before its next heartbeat would count in full
            context.forward(new Record<>(host, (Object) Tick.HEARTBEAT, record.timestamp()), DetectorTopology.GROUP);
        }
        if (value == null || value.length == 0) {
            reject(LineProblem.EMPTY_RECORD, "", "");
            return;
        }
        String text;
        String source = topic;
        long fileOffset = -1;
        if (value[0] == '{' && !filebeatFormat) {
            // only the envelope's fields are decoded here; the whole record only when it is the event itself
            try {
                FilebeatEvent ev = FilebeatEvent.parse(value);
                if (ev.isEnvelope() || !jsonFormat) {
                    text = ev.message();
                    if (host == null) {
                        host = ev.host();
                    }
                    fileOffset = ev.offset();
                    if (ev.path() != null) {
                        source = ev.path();
                    }
                } else {
                    text = new String(value, StandardCharsets.UTF_8);
                }
            } catch (IOException | IllegalArgumentException e) {
                if (!jsonFormat) {
                    reject(LineProblem.NOT_AN_EVENT, ": " + firstLine(e.getMessage()),
                            new String(value, StandardCharsets.UTF_8));
                    return;
                }
                text = new String(value, StandardCharsets.UTF_8);  // the JSON format keeps it as an unmatched line
            }
        } else {
            text = new String(value, StandardCharsets.UTF_8);
        }
        if (host == null) {
            host = "unknown";
        }
        LogRecord r = pipeline.format().parse(text, source, kafkaOffset, fileOffset);
        if (r.host() == null) {
            r = r.withOrigin(r.source(), r.lineNumber(), r.offset(), host);
        }
        r = pipeline.admit(r, deadLetters);
        if (r != null) {
            context.forward(new Record<>(host, (Object) r, record.timestamp()), DetectorTopology.PARSE);
        }
    }

    private void reject(LineProblem problem, String detail, String text) {
        pipeline.count(problem, true);
        deadLetters.accept(new io.anomalog.core.io.DeadLetter("?", -1, problem.reason() + detail, text));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
