package io.anomalog.stream.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.stream.broker.EmbeddedKafka;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.ship.FilebeatEvent;
import io.anomalog.stream.ship.Shipper;
import io.anomalog.stream.testing.KeyRuleDetector;
import io.anomalog.stream.testing.TestPipelines;
import io.anomalog.stream.testing.TopicReader;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three brokers, topics with three replicas of which two must hold every write: the leader of the host's log
 * partition fails in the middle of the stream, and shipping and detection go on with nothing lost or repeated.
 */
@Timeout(240)
class BrokerFailoverTest {

    @TempDir
    Path dir;

    @Test
    void theLeaderOfAHostsPartitionFailsAndNothingIsLostOrRepeated() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().nodes(3).build().start()) {
            KafkaConnection conn = KafkaConnection.of(kafka.bootstrapServers());
            Topics.ensure(conn, List.of(Topics.Spec.of("logs.ha", 1, 3)));
            StreamMetrics metrics = new StreamMetrics();
            KeyRuleDetector detector = new KeyRuleDetector(Set.of(1, 2));
            var topology = DetectorTopology.builder(TestPipelines.detecting("open <*>", "write <*> size <*>"), detector)
                    .topics("logs\\.ha").grouping(GroupingSpec.Sessions.byPattern("blk_-?\\d+")
                            .withGap(Duration.ofSeconds(2))).metrics(metrics);
            Path log = dir.resolve("ha.log");
            Files.createFile(log);
            Shipper shipper = Shipper.builder(conn, "ha").path(log.toString()).registry(dir.resolve("reg.json"))
                    .topic(1, 3).build();
            Thread shipping = new Thread(() -> {
                try {
                    shipper.run();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (DetectorService service = DetectorService.builder(conn, topology).applicationId("ha")
                    .stateDir(dir.resolve("streams")).topics(1, 3).commitIntervalMillis(200)
                    .metadataMaxAgeMillis(1000).build().start(Duration.ofSeconds(90))) {
                shipping.start();
                int sessions = 120;
                int lines = 0;
                for (int s = 0; s < sessions; s++) {
                    StringBuilder sb = new StringBuilder();
                    sb.append("open blk_").append(s).append('\n');
                    sb.append("write blk_").append(s).append(" size ").append(s).append('\n');
                    if (s % 10 == 0) {
                        sb.append("disk blk_").append(s).append(" failing\n");
                        lines++;
                    }
                    Files.writeString(log, sb, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                    lines += 2;
                    Thread.sleep(25);
                    if (s == sessions / 3) {
                        int leader = leaderOf(kafka, "logs.ha");
                        kafka.stopNode(leader);       // the partition's leader fails
                    }
                }
                int expected = lines;
                long deadline = System.currentTimeMillis() + 120_000;
                while (metrics.parsed.sum() < expected && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
                while (detector.scored.size() < sessions && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
                shipper.stop();
                shipping.join(20_000);
                shipper.close();
                assertEquals(expected, metrics.parsed.sum(), "every line parsed once");
            }
            Map<Long, Integer> offsets = new HashMap<>();
            for (var r : TopicReader.readAll(kafka.bootstrapServers(), "logs.ha")) {
                if (!FilebeatEvent.isSignal(r.value())) {
                    JsonNode n = Json.MAPPER.readTree(r.value());
                    offsets.merge(n.get("log").get("offset").asLong(), 1, Integer::sum);
                }
            }
            assertTrue(offsets.values().stream().allMatch(c -> c == 1), "no line in the topic twice");
            assertEquals(120, detector.scored.size(), "every session scored");
            assertTrue(detector.scored.values().stream().allMatch(c -> c.get() == 1), "no session scored twice");
            Map<String, Integer> anomalies = new HashMap<>();
            for (var r : TopicReader.readAll(kafka.bootstrapServers(), "anomalies")) {
                anomalies.merge(Json.MAPPER.readTree(r.value()).get("sessionId").asText(), 1, Integer::sum);
            }
            assertEquals(12, anomalies.size());
            assertTrue(anomalies.values().stream().allMatch(c -> c == 1));
        }
    }

    private static int leaderOf(EmbeddedKafka kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(0).leader()
                    .id();
        }
    }
}
