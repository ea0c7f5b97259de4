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
        }
        assertFalse(Files.exists(dir), "temporary log dir is deleted on close");
    }
}
