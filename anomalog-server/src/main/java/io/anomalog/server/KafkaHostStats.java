package io.anomalog.server;

import io.anomalog.stream.broker.KafkaConnection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Per-host figures read from the cluster: the end offsets of each {@code logs.<host>} topic and the detector's
 * committed offsets on them (its application id is its consumer group).
 */
public final class KafkaHostStats implements HostStats, AutoCloseable {

    private static final Pattern HOST_TOPIC = Pattern.compile("logs\\.(?!parsed$)(.+)");

    private final Admin admin;
    private final String group;

    public KafkaHostStats(KafkaConnection kafka, String detectorGroup) {
        this.admin = Admin.create(kafka.properties(Map.of("request.timeout.ms", 5000, "default.api.timeout.ms", 5000)));
        this.group = detectorGroup;
    }

    @Override
    public Map<String, Sample> sample() {
        try {
            Set<String> topics = admin.listTopics().names().get(5, TimeUnit.SECONDS).stream()
                    .filter(t -> HOST_TOPIC.matcher(t).matches()).collect(Collectors.toSet());
            if (topics.isEmpty()) {
                return Map.of();
            }
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).values()) {
                d.partitions().forEach(p -> ask.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(ask).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> done = group == null ? Map.of()
                    : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<String, long[]> byHost = new TreeMap<>();
            for (var e : ends.entrySet()) {
                var m = HOST_TOPIC.matcher(e.getKey().topic());
                if (!m.matches()) {
                    continue;
                }
                long[] v = byHost.computeIfAbsent(m.group(1), h -> new long[]{0, 0, 1});
                long end = e.getValue().offset();
                v[0] += end;
                OffsetAndMetadata c = done.get(e.getKey());
                if (c != null) {
                    v[1] += Math.max(0, end - c.offset());
                } else if (end > 0) {
                    v[2] = 0; // a partition with lines the detector has not committed on: lag unknown
                }
            }
            Map<String, Sample> out = new TreeMap<>();
            byHost.forEach((h, v) -> out.put(h, new Sample(v[0], v[2] == 1 ? v[1] : -1)));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (Exception e) {
            return Map.of(); // the cluster is away for a moment: the console shows no per-host figures meanwhile
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
