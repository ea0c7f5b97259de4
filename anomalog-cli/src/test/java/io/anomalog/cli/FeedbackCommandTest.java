package io.anomalog.cli;

import io.anomalog.core.io.Json;
import io.anomalog.stream.broker.EmbeddedKafka;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.feedback.FeedbackRecord;
import io.anomalog.stream.feedback.FeedbackVerdict;
import io.anomalog.stream.topology.AnomalyRecord;
import io.anomalog.stream.topology.JsonSerde;
import io.anomalog.stream.topology.SessionState;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedbackCommandTest {

    private static EmbeddedKafka kafka;
    private static AnomalyRecord anomaly;

    @BeforeAll
    static void brokerWithOneAnomaly() throws Exception {
        kafka = EmbeddedKafka.builder().build().start();
        KafkaConnection c = KafkaConnection.of(kafka.bootstrapServers());
        Topics.ensure(c, Topics.serviceTopics(1, 1));
        var line = new SessionState.Line(4, "PacketResponder 1 for block blk_9 terminating", "081109 203518",
                "logs.h1", 0, 77, -1);
        anomaly = new AnomalyRecord(AnomalyRecord.idOf("h1", "blk_9", line), "h1", "blk_9", new int[]{4},
                List.of(line), 3.0, "key 4 not expected", null, null, "deeplog", "deeplog@2026-01-01T00:00:00Z", "gap",
                "081109 203518", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "2026-01-01T00:00:01Z");
        try (var p = new KafkaProducer<>(c.properties(Map.of()), new StringSerializer(),
                JsonSerde.of(AnomalyRecord.class).serializer())) {
            p.send(new ProducerRecord<>(Topics.ANOMALIES, "h1/blk_9", anomaly)).get();
        }
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private static CliRun feedback(String... args) {
        List<String> all = new ArrayList<>(List.of("feedback", "--bootstrap-servers", kafka.bootstrapServers(),
                "--timeout", "20s"));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    private static List<FeedbackRecord> feedbackTopic() {
        try (var c = new KafkaConsumer<>(KafkaConnection.of(kafka.bootstrapServers()).properties(Map.of()),
                new StringDeserializer(), JsonSerde.of(FeedbackRecord.class).deserializer())) {
            var tp = new TopicPartition(Topics.FEEDBACK, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            List<FeedbackRecord> out = new ArrayList<>();
            while (c.position(tp) < end) {
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
            return out;
        }
    }

    @Test
    void aFalsePositiveVerdictReachesTheFeedbackTopicOnceAndASecondVerdictOrAnUnknownIdIsRefused() throws Exception {
        CliRun unknown = feedback("--anomaly", "a0123456789abcdef", "--verdict", "confirmed");
        assertEquals(2, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("no anomaly with id 'a0123456789abcdef' (1 anomalies known)"), unknown.err());
        CliRun badVerdict = feedback("--anomaly", anomaly.id(), "--verdict", "meh");
        assertEquals(2, badVerdict.code());
        assertTrue(badVerdict.err().contains("unknown verdict 'meh'"), badVerdict.err());
        assertTrue(feedbackTopic().isEmpty(), "refused feedback writes nothing");

        CliRun ok = feedback("--anomaly", anomaly.id(), "--verdict", "false-positive", "--note", "backup window",
                "--who", "ana");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("marked false-positive by ana"), ok.out());

        CliRun twice = feedback("--anomaly", anomaly.id(), "--verdict", "confirmed", "--who", "bo");
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("was marked false-positive already, by ana"), twice.err());

        List<FeedbackRecord> topic = feedbackTopic();
        assertEquals(1, topic.size());
        FeedbackRecord r = topic.get(0);
        assertEquals(anomaly.id(), r.anomalyId());
        assertEquals("blk_9", r.sessionId());
        assertEquals(FeedbackVerdict.FALSE_POSITIVE, r.verdict());
        assertEquals("backup window", r.note());
        assertEquals("deeplog@2026-01-01T00:00:00Z", r.modelVersion());
        assertEquals(List.of("PacketResponder 1 for block blk_9 terminating"), r.lines());

        CliRun list = feedback("--list");
        assertEquals(0, list.code(), list.err());
        FeedbackRecord listed = Json.MAPPER.readValue(list.out().strip(), FeedbackRecord.class);
        assertEquals(anomaly.id(), listed.anomalyId());
        assertTrue(list.err().contains("1 verdicts on 1 anomalies"), list.err());
    }
}
