package io.anomalog.stream.broker;

import io.anomalog.core.util.AnomalogException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/** The topic names anomalog uses, and their creation with the wanted partitions and replication. */
public final class Topics {

    /** Prefix of the per-host log topics: {@code logs.<host>}. */
    public static final String LOGS_PREFIX = "logs.";
    /** Every per-host log topic, as Kafka Streams subscribes to them ({@link #PARSED} is the detector's output). */
    public static final Pattern LOGS_PATTERN = Pattern.compile("logs\\.(?!parsed$).+");
    /** One normalised event per parsed line, written by the detector: host, time, level, template, parameters. */
    public static final String PARSED = "logs.parsed";
    public static final String ANOMALIES = "anomalies";
    public static final String DEAD_LETTER = "anomalog.deadletter";
    public static final String FEEDBACK = "anomalog.feedback";
    /** Compacted: template id -> template text, so every detector instance shares keys. */
    public static final String TEMPLATES = "anomalog.templates";
    /** Compacted: file offsets committed in the same transaction as the shipped lines. */
    public static final String SHIPPER_OFFSETS = "anomalog.shipper.offsets";

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private Topics() {
    }

    /** {@code logs.<host>}; host names must be valid in a topic name. */
    public static String logsTopic(String host) {
        if (host == null || !HOST_NAME.matcher(host).matches() || host.length() > 200) {
            throw new AnomalogException("host name '" + host + "' cannot name a Kafka topic: use letters, digits, '.', '_', '-'");
        }
        if (PARSED.equals(LOGS_PREFIX + host)) {
            throw new AnomalogException("host name 'parsed' is taken: logs.parsed holds the detector's parsed events");
        }
        return LOGS_PREFIX + host;
    }

    /** The host a {@code logs.<host>} topic belongs to, or null for another topic. */
    public static String hostOf(String topic) {
        return topic != null && topic.startsWith(LOGS_PREFIX) && !topic.equals(PARSED)
                ? topic.substring(LOGS_PREFIX.length()) : null;
    }

    /** A topic to create: name, partitions, replication factor and topic settings. */
    public record Spec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

        /** With three replicas or more, a write is acknowledged once two hold it, so one broker may fail. */
        public static Spec of(String name, int partitions, int replicationFactor) {
            return new Spec(name, partitions, (short) replicationFactor, replicationFactor >= 3
                    ? Map.of("min.insync.replicas", "2") : Map.of());
        }

        public static Spec compacted(String name, int partitions, int replicationFactor) {
            return new Spec(name, partitions, (short) replicationFactor, replicationFactor >= 3
                    ? Map.of("cleanup.policy", "compact", "min.insync.replicas", "2")
                    : Map.of("cleanup.policy", "compact"));
        }
    }

    /** The service topics (anomalies, dead letters, feedback, templates, shipper offsets). */
    public static List<Spec> serviceTopics(int partitions, int replicationFactor) {
        return List.of(Spec.of(ANOMALIES, partitions, replicationFactor),
                Spec.of(PARSED, partitions, replicationFactor),
                Spec.of(DEAD_LETTER, partitions, replicationFactor),
                Spec.of(FEEDBACK, 1, replicationFactor),
                Spec.compacted(TEMPLATES, 1, replicationFactor),
                Spec.compacted(SHIPPER_OFFSETS, 1, replicationFactor));
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public static void ensure(KafkaConnection kafka, List<Spec> specs) {
        ensure(kafka, specs, java.time.Duration.ofSeconds(30));
    }

    /** Like {@link #ensure(KafkaConnection, List)}, giving up after {@code timeout} when the broker does not answer. */
    public static void ensure(KafkaConnection kafka, List<Spec> specs, java.time.Duration timeout) {
        int ms = (int) Math.max(1000, timeout.toMillis());
        try (Admin admin = Admin.create(kafka.properties(Map.of("request.timeout.ms", Math.max(500, ms * 2 / 3),
                "default.api.timeout.ms", ms)))) {
            List<NewTopic> topics = new ArrayList<>();
            for (Spec s : specs) {
                topics.add(new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()));
            }
            var result = admin.createTopics(topics);
            for (var e : result.values().entrySet()) {
                try {
                    e.getValue().get(ms, TimeUnit.MILLISECONDS);
                } catch (ExecutionException ex) {
                    if (ex.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                        throw new AnomalogException("Kafka at " + kafka.bootstrapServers() + " did not answer within "
                                + ms / 1000 + " s");
                    }
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new AnomalogException("cannot create topic " + e.getKey() + ": "
                                + ex.getCause().getMessage(), ex.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnomalogException("interrupted while creating topics");
        } catch (TimeoutException e) {
            throw new AnomalogException("Kafka at " + kafka.bootstrapServers() + " did not answer within " + ms / 1000
                    + " s");
        }
    }
}
