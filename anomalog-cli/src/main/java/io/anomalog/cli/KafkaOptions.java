package io.anomalog.cli;

import io.anomalog.stream.broker.KafkaConnection;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options that say how to reach a Kafka cluster (shared by ship and stream). */
final class KafkaOptions {

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Kafka client setting passed through, e.g. security.protocol=SASL_SSL (repeatable).")
    List<String> properties = new ArrayList<>();

    @Option(names = "--kafka-properties", paramLabel = "FILE",
            description = "Java properties file of Kafka client settings (TLS, SASL); --kafka-property wins.")
    Path propertiesFile;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of topics this command creates (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "1", description = "Replication factor of topics this command creates (default: ${DEFAULT-VALUE}).")
    int replicationFactor;

    KafkaConnection connection() {
        return KafkaConnection.parse(bootstrapServers, propertiesFile, properties);
    }
}
