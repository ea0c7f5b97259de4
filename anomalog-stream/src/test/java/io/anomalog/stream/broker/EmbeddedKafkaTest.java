package io.anomalog.stream.broker;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedKafkaTest {

    @Test
    void producesAndConsumesThroughTheEmbeddedBrokerAndCleansUp() throws Exception {
        Path dir;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            dir = kafka.logDir();
            assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"));
            KafkaConnection conn = KafkaConnection.of(kafka.bootstrapServers());
            Topics.ensure(conn, List.of(Topics.Spec.of("logs.h1", 3, 1)));
            Topics.ensure(conn, List.of(Topics.Spec.of("logs.h1", 3, 1))); // idempotent
            try (var producer = new KafkaProducer<String, String>(conn.properties(Map.of(
                    "acks", "all", "enable.idempotence", true)), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("logs.h1", "k" + i, "line " + i)).get();
                }
            }
            List<String> seen = new ArrayList<>();
            try (var consumer = new KafkaConsumer<String, String>(conn.properties(Map.of(
                    "group.id", "t", "auto.offset.reset", "earliest")), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("logs.h1"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (seen.size() < 10 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(r.value());
                    }
                }
            }
            assertEquals(10, seen.size());
            assertTrue(seen.contains("line 7"));
            // topics get the partition count asked for
            Topics.ensure(conn, List.of(Topics.Spec.of("logs.h5", 5, 1)));
            try (var admin = org.apache.kafka.clients.admin.Admin.create(conn.properties(Map.of()))) {
                assertEquals(5, admin.describeTopics(List.of("logs.h5")).allTopicNames().get().get("logs.h5")
                        .partitions().size());
            }
        }
        assertFalse(Files.exists(dir), "temporary log dir is deleted on close");
    }

    @Test
    void clientSettingsForTlsAndSaslReachEveryClientAndTheCallersOwnWin(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path file = tmp.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                + "ssl.truststore.location=/etc/kafka/truststore.jks\n");
        KafkaConnection c = KafkaConnection.parse("k1:9093,k2:9093", file,
                List.of("sasl.mechanism=PLAIN", "sasl.jaas.config=x required;"));
        var p = c.properties(Map.of("acks", "all", "security.protocol", "SSL"));
        assertEquals("k1:9093,k2:9093", p.get("bootstrap.servers"));
        assertEquals("PLAIN", p.get("sasl.mechanism"), "--kafka-property wins over the file");
        assertEquals("x required;", p.get("sasl.jaas.config"));
        assertEquals("/etc/kafka/truststore.jks", p.get("ssl.truststore.location"));
        assertEquals("SSL", p.get("security.protocol"), "a client's own setting wins");
        assertEquals("all", p.get("acks"));
        assertEquals("SASL_SSL", c.properties(Map.of()).get("security.protocol"));
    }
}
