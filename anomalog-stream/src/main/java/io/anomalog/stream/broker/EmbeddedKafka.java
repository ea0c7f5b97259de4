package io.anomalog.stream.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An Apache Kafka cluster inside this JVM, in KRaft mode: one node by default (broker and controller), or several
 * ({@link Builder#nodes}), each a broker and a voter of the controller quorum, for tests of a broker failing.
 * Used by the demo, the tests and single-machine runs: it listens on 127.0.0.1 only, on free ports, and keeps its
 * data in a temporary directory that {@link #close()} deletes (unless a directory was given).
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    /**
     * {@code broker.session.timeout.ms} of a cluster of several nodes: the controller moves a failed broker's
     * partitions only once its session has expired, so this bounds how long writes to them stall. With Kafka's
     * default of 9 s the clients' recovery takes the added latency over 10 s (docs/results/failover-kafka-default.md);
     * 6 s, with heartbeats every {@link #CLUSTER_HEARTBEAT_MILLIS}, keeps it under 10 s and still tolerates a broker that
     * misses three heartbeats in a row. docs/streaming.md recommends the same for a real cluster.
     */
    public static final long CLUSTER_SESSION_TIMEOUT_MILLIS = 6_000;
    /** {@code broker.heartbeat.interval.ms} with {@link #CLUSTER_SESSION_TIMEOUT_MILLIS}: a quarter of it. */
    public static final long CLUSTER_HEARTBEAT_MILLIS = CLUSTER_SESSION_TIMEOUT_MILLIS / 4;

    private final Path logDir;
    private final boolean deleteOnClose;
    private final Map<String, String> overrides;
    private final int nodes;
    private final int[] brokerPorts;
    private final int[] controllerPorts;
    private final String clusterId = Uuid.randomUuid().toString();
    private final KafkaRaftServer[] servers;

    private EmbeddedKafka(Builder b) {
        try {
            this.deleteOnClose = b.logDir == null;
            this.logDir = b.logDir != null ? b.logDir : Files.createTempDirectory("anomalog-kafka-");
            this.nodes = b.nodes;
            this.brokerPorts = new int[nodes];
            this.controllerPorts = new int[nodes];
            for (int i = 0; i < nodes; i++) {
                brokerPorts[i] = i == 0 && b.port > 0 ? b.port : freePort();
                controllerPorts[i] = freePort();
            }
            this.servers = new KafkaRaftServer[nodes];
            this.overrides = Map.copyOf(b.properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Formats the log directories (first start only) and starts every node; returns once the brokers serve. */
    public synchronized EmbeddedKafka start() {
        if (nodes == 1) {
            startNode(1);
            return this;
        }
        // the nodes of a quorum wait for each other while starting: each starts on its own thread
        List<Thread> starting = new java.util.ArrayList<>();
        List<RuntimeException> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int i = 1; i <= nodes; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try {
                    startNode(id);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }, "kafka-node-" + id);
            t.start();
            starting.add(t);
        }
        for (Thread t : starting) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the Kafka nodes start", e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return this;
    }

    /** Starts one node (1-based id) again after {@link #stopNode}, with its data and ports. */
    public void startNode(int id) {
        synchronized (servers) {
            if (servers[id - 1] != null) {
                return;
            }
        }
        Path dir = nodeDir(id);
        int replication = Math.min(3, nodes);
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(id));
        StringBuilder voters = new StringBuilder();
        for (int i = 1; i <= nodes; i++) {
            voters.append(i > 1 ? "," : "").append(i).append("@127.0.0.1:").append(controllerPorts[i - 1]);
        }
        props.put("controller.quorum.voters", voters.toString());
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[id - 1] + ",CONTROLLER://127.0.0.1:"
                + controllerPorts[id - 1]);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[id - 1]);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dir.toString());
        // internal topics live on as many nodes as there are, up to three, and survive one of them failing
        props.put("offsets.topic.replication.factor", String.valueOf(replication));
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", String.valueOf(replication));
        props.put("transaction.state.log.min.isr", String.valueOf(Math.max(1, replication - 1)));
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", String.valueOf(replication));
        props.put("share.coordinator.state.topic.min.isr", String.valueOf(Math.max(1, replication - 1)));
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "1");
        props.put("default.replication.factor", String.valueOf(replication));
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        props.put("num.network.threads", "2");
        props.put("num.io.threads", nodes > 1 ? "2" : "4");
        if (nodes > 1) {
            // a node stops as a failing machine would, and the last ones stop without waiting for a quorum
            props.put("controlled.shutdown.enable", "false");
            props.put("broker.session.timeout.ms", String.valueOf(CLUSTER_SESSION_TIMEOUT_MILLIS));
            props.put("broker.heartbeat.interval.ms", String.valueOf(CLUSTER_HEARTBEAT_MILLIS));
        }
        props.putAll(overrides);
        KafkaConfig config = new KafkaConfig(props, false);
        try {
            if (!Files.exists(dir.resolve("meta.properties"))) {
                new Formatter()
                        .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .setNodeId(id)
                        .setClusterId(clusterId)
                        .setDirectories(List.of(dir.toString()))
                        .setMetadataLogDirectory(dir.toString())
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setControllerListenerName("CONTROLLER")
                        .setIgnoreFormatted(true)
                        .run();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + dir + ": " + e.getMessage(), e);
        }
        KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
        s.startup();
        synchronized (servers) {
            servers[id - 1] = s;
        }
    }

    /** Stops one node (1-based id), as if its machine failed; its data stays for {@link #startNode}. */
    public void stopNode(int id) {
        KafkaRaftServer s;
        synchronized (servers) {
            s = servers[id - 1];
            servers[id - 1] = null;
        }
        if (s != null) {
            s.shutdown();
            s.awaitShutdown();
        }
    }

    /** Stops every node and keeps the data: {@link #start()} brings the same cluster back on the same ports. */
    public synchronized void stop() {
        for (int i = nodes; i >= 1; i--) {
            stopNode(i);
        }
    }

    /** Nodes in the cluster. */
    public int nodes() {
        return nodes;
    }

    private Path nodeDir(int id) {
        return nodes == 1 ? logDir : logDir.resolve("node-" + id);
    }

    /** {@code 127.0.0.1:PORT[,...]} of every node, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        StringBuilder sb = new StringBuilder();
        for (int p : brokerPorts) {
            sb.append(sb.length() > 0 ? "," : "").append("127.0.0.1:").append(p);
        }
        return sb.toString();
    }

    public Path logDir() {
        return logDir;
    }

    /** Stops every node and, for a temporary directory, deletes its data. */
    @Override
    public synchronized void close() {
        stop();
        if (deleteOnClose) {
            deleteTree(logDir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // A leftover temp directory is harmless; the broker itself is already stopped.
        }
    }

    /** Configures an {@link EmbeddedKafka}. */
    public static final class Builder {
        private Path logDir;
        private int port;
        private int nodes = 1;
        private final Map<String, String> properties = new HashMap<>();

        /** Keeps data in this directory across restarts instead of a temporary one. */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        /** Listens on this port instead of a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Nodes in the cluster (default 1); each is a broker and a controller voter. */
        public Builder nodes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a cluster needs at least one node, got " + n);
            }
            this.nodes = n;
            return this;
        }

        /** Any broker setting, e.g. {@code log.retention.ms}. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public EmbeddedKafka build() {
            return new EmbeddedKafka(this);
        }
    }
}
