package io.anomalog.stream.broker;

import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * How to reach a Kafka cluster: the bootstrap servers plus any client settings the cluster needs (TLS, SASL,
 * timeouts), passed through unchanged to every producer, consumer, admin client and Kafka Streams instance.
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param clientProperties extra client settings ({@code security.protocol}, {@code sasl.jaas.config}, ...)
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientProperties) {

    public KafkaConnection {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new AnomalogException("no Kafka bootstrap servers given");
        }
        clientProperties = Map.copyOf(clientProperties == null ? Map.of() : clientProperties);
    }

    public static KafkaConnection of(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /**
     * Builds a connection from command-line input.
     *
     * @param propertiesFile a Java properties file of client settings, or null
     * @param properties     {@code key=value} settings; these win over the file
     */
    public static KafkaConnection parse(String bootstrapServers, Path propertiesFile, Iterable<String> properties) {
        Map<String, String> all = new LinkedHashMap<>();
        if (propertiesFile != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(propertiesFile)) {
                p.load(r);
            } catch (IOException e) {
                throw new AnomalogException("cannot read Kafka properties file " + propertiesFile + ": " + e.getMessage());
            }
            p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k)));
        }
        if (properties != null) {
            for (String kv : properties) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new AnomalogException("Kafka property '" + kv + "' is not key=value");
                }
                all.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return new KafkaConnection(bootstrapServers, all);
    }

    /** Client settings: bootstrap servers, the pass-through settings, then the caller's own on top. */
    public Properties properties(Map<String, ?> own) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.putAll(clientProperties);
        p.putAll(own);
        return p;
    }
}
