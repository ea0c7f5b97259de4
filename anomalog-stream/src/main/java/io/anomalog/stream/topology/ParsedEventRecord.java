package io.anomalog.stream.topology;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.template.ParsedEvent;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One record of {@code logs.parsed}: a log line as the detector understood it, normalised the same way for every
 * host and format (the Logstash stage of a Filebeat -> Kafka -> Logstash pipeline), for an archive or a search
 * index to consume.
 *
 * @param host       the host whose log topic it came from
 * @param topic      that topic
 * @param partition  its partition
 * @param offset     the Kafka record offset
 * @param source     the file it was read from, when the shipper said
 * @param fileOffset the byte offset in that file, or -1
 * @param timestamp  the timestamp text of the line, or null
 * @param time       the timestamp as an instant (ISO-8601), or null when the line has none readable
 * @param level      the log level, or null
 * @param component  the component, logger or service, or null
 * @param templateId the log key
 * @param template   the template text
 * @param parameters the values of the template's variables, in order
 * @param fields     every structured field of the line, typed
 * @param message    the message (the content that was mined)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParsedEventRecord(String host, String topic, int partition, long offset, String source, long fileOffset,
                                String timestamp, String time, String level, String component, int templateId,
                                String template, List<String> parameters, Map<String, Object> fields,
                                String message) {

    static ParsedEventRecord of(String host, String topic, int partition, long kafkaOffset, ParsedEvent e) {
        LogRecord r = e.record();
        Instant t = r.time();
        return new ParsedEventRecord(host, topic, partition, kafkaOffset, r.source().equals(topic) ? null : r.source(),
                r.offset(), r.timestamp(), t == null ? null : t.toString(), r.level(), r.component(), e.templateId(),
                e.template(), e.parameters(), r.fields().isEmpty() ? null : r.fields(), r.content());
    }
}
