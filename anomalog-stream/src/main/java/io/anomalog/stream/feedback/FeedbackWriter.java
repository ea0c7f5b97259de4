package io.anomalog.stream.feedback;

import io.anomalog.core.util.AnomalogException;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.topology.JsonSerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Writes verdicts to {@code anomalog.feedback}, keyed by anomaly id, acknowledged by every in-sync replica. */
public final class FeedbackWriter implements FeedbackDesk.Sink, AutoCloseable {

    private final KafkaConnection kafka;
    private final KafkaProducer<String, FeedbackRecord> producer;

    public FeedbackWriter(KafkaConnection kafka, int replicationFactor) {
        this.kafka = kafka;
        Topics.ensure(kafka, List.of(Topics.Spec.of(Topics.FEEDBACK, 1, replicationFactor)), Duration.ofSeconds(15));
        this.producer = new KafkaProducer<>(kafka.properties(Map.of("acks", "all", "enable.idempotence", "true",
                "delivery.timeout.ms", 15_000, "request.timeout.ms", 10_000, "max.block.ms", 10_000)),
                new StringSerializer(), JsonSerde.of(FeedbackRecord.class).serializer());
    }

    @Override
    public void write(FeedbackRecord r) {
        try {
            producer.send(new ProducerRecord<>(Topics.FEEDBACK, r.anomalyId(), r)).get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnomalogException("interrupted while writing feedback");
        } catch (ExecutionException | TimeoutException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new AnomalogException("cannot write feedback to " + Topics.FEEDBACK + " at "
                    + kafka.bootstrapServers() + ": " + c.getMessage());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
