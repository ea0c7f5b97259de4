package io.anomalog.stream.ship;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.broker.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Ships log files to Kafka, like Filebeat: tails every file a glob matches, follows appends, rotation and
 * truncation, joins multi-line entries, filters them, and publishes each entry as Filebeat-style JSON to
 * {@code logs.<host>}.
 *
 * <p><b>Delivery: exactly once into Kafka.</b> Each batch is one Kafka transaction holding the log records and,
 * in the compacted topic {@code anomalog.shipper.offsets}, the new read offset of every file in the batch. Either
 * both become visible or neither does. After the commit is acknowledged the registry file is written atomically.
 * On start the shipper takes each file's offset from the offsets topic (what Kafka really holds) and falls back
 * to the registry file, so a crash between commit and registry write neither loses nor repeats a line.
 * Consumers must read with {@code isolation.level=read_committed} (Kafka Streams with exactly-once does).
 * Limits: a file truncated and rewritten past the old offset between two reads, a copy-truncate rotation that
 * cuts lines not read yet, or an inode reused for a new file while the shipper is down can lose or repeat lines,
 * as with Filebeat.
 */
public final class Shipper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);

    private final Settings settings;
    private final String topic;
    private KafkaProducer<byte[], byte[]> producer;
    private final OffsetRegistry registry;
    private final Map<String, Harvester> harvesters = new LinkedHashMap<>();
    private final Map<String, Long> committedOffsets = new HashMap<>();
    private final FilebeatEvent.Writer json = new FilebeatEvent.Writer();
    private final AtomicLong shipped = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final Outage outage;
    private long lastSentMillis = System.currentTimeMillis();
    private volatile boolean stopped;

    private Shipper(Settings s) {
        this.settings = s;
        this.outage = new Outage(s.kafka.bootstrapServers(), () -> stopped);
        this.topic = Topics.logsTopic(s.host);
        this.registry = OffsetRegistry.open(s.registryFile, s.host);
    }

    /**
     * Creates the topics, reads the committed offsets and starts the producer, the first time the broker is
     * needed; waits for a broker that does not answer (saying so) until it does or the shipper is stopped.
     */
    private void connect() {
        while (producer == null) {
            try {
                Topics.ensure(settings.kafka, List.of(Topics.Spec.of(topic, settings.partitions,
                        settings.replicationFactor), Topics.Spec.compacted(Topics.SHIPPER_OFFSETS, 1,
                        settings.replicationFactor)), Duration.ofMillis(settings.blockMillis));
                recoverOffsetsFromKafka();
                producer = newProducer();
            } catch (io.anomalog.core.util.AnomalogException | org.apache.kafka.common.errors.TimeoutException e) {
                if (e instanceof io.anomalog.core.util.AnomalogException a && !a.getMessage().contains("did not answer")) {
                    throw a;     // a topic that cannot be created for another reason: no point waiting
                }
                outage.down(e);
                if (stopped || !outage.backoff()) {
                    throw new ShipperStopped();
                }
            }
        }
    }

    /**
     * A transactional producer, waiting for the broker as long as it takes (or until {@link #stop()}): every
     * blocking call gives up after a few seconds, so a stop request is seen within a few seconds too.
     */
    private KafkaProducer<byte[], byte[]> newProducer() {
        Map<String, Object> p = new HashMap<>();
        p.put("acks", "all");
        p.put("enable.idempotence", true);
        p.put("transactional.id", settings.transactionalId != null ? settings.transactionalId : "anomalog-ship-" + settings.host);
        p.put("linger.ms", 5);
        p.put("batch.size", 256 * 1024);
        p.put("compression.type", "lz4");
        p.put("max.block.ms", (int) settings.blockMillis);
        p.put("max.request.size", settings.maxRecordBytes + 64 * 1024);
        while (true) {
            KafkaProducer<byte[], byte[]> pr = new KafkaProducer<>(settings.kafka.properties(p),
                    new ByteArraySerializer(), new ByteArraySerializer());
            try {
                // Fences any older shipper of this host still running with the same transactional id.
                pr.initTransactions();
                // Waits until the log topic's partitions have leaders, so the first batches are not refused.
                pr.partitionsFor(topic);
                outage.back();
                return pr;
            } catch (org.apache.kafka.common.errors.TimeoutException | org.apache.kafka.common.errors.InterruptException e) {
                pr.close(Duration.ZERO);
                outage.down(e);
                if (stopped || !outage.backoff()) {
                    throw new ShipperStopped();
                }
            }
        }
    }

    /** Thrown out of a wait for the broker when the shipper is asked to stop; nothing was committed by then. */
    static final class ShipperStopped extends RuntimeException {
        ShipperStopped() {
            super("stopped while waiting for Kafka", null, false, false);
        }
    }

    public static Settings builder(KafkaConnection kafka, String host) {
        return new Settings(kafka, host);
    }

    /** Lines published so far. */
    public long shipped() {
        return shipped.get();
    }

    /** Entries cut at the line cap (or to fit a Kafka record), shipped marked {@code log.flags: ["truncated"]}. */
    public long truncated() {
        return truncated.get();
    }

    /** Entries dropped by the include/exclude filter. */
    public long filtered() {
        return filtered.get();
    }

    /** Ships until {@link #stop()}, scanning for new data every poll interval. */
    public void run() throws IOException {
        while (!stopped) {
            if (shipOnce() == 0 && !stopped) {
                try {
                    heartbeatIfQuiet();
                } catch (ShipperStopped e) {
                    return;
                }
                try {
                    Thread.sleep(settings.pollMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public void stop() {
        stopped = true;
    }

    /**
     * One pass: finds files, reads what is new, and publishes it in transactions until nothing is left right now.
     *
     * @return entries read (published or filtered)
     */
    public int shipOnce() throws IOException {
        return shipOnce(false);
    }

    /**
     * Like {@link #shipOnce()}, and also publishes the entry each file holds back while waiting for more of its
     * lines (a multi-line entry at the end of the file): for a last pass before exiting ({@code ship --once}).
     */
    public int shipAll() throws IOException {
        return shipOnce(true);
    }

    private int shipOnce(boolean flushHeld) throws IOException {
        int total = 0;
        try {
            connect();
            scan();
            while (!stopped) {
                int n = shipBatch(flushHeld);
                total += n;
                if (n == 0) {
                    break;
                }
            }
            retireFinished();
        } catch (ShipperStopped e) {
            // asked to stop while the broker did not answer: what was not committed is read again next time
        }
        return total;
    }

    /** Whether the path glob matches any file now. */
    public boolean matchesAnyFile() throws IOException {
        return !settings.glob.files().isEmpty();
    }

    private int shipBatch(boolean flushHeld) throws IOException {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        // Keyed by host: all of a host's lines, whatever file they come from, go to one partition, so a session
        // (host, session id) is never split between two stream tasks; different hosts still spread by hash.
        byte[] key = settings.host.getBytes(StandardCharsets.UTF_8);
        Map<Harvester, Long> advance = new LinkedHashMap<>();
        int entries = 0;
        for (Harvester h : harvesters.values()) {
            if (entries >= settings.batchEntries) {
                break;
            }
            if (h.checkTruncated()) {
                LOG.warn("{} was truncated; reading it again from the start", h.path());
            }
            List<LogEntry> read = h.read(settings.batchEntries - entries, flushHeld);
            if (read.isEmpty()) {
                continue;
            }
            String path = h.path().toString();
            // One read time for the whole batch: formatting an Instant per line cost more than the JSON itself.
            String readAt = java.time.Instant.now().toString();
            for (LogEntry e : read) {
                if (settings.filter.accepts(e.text())) {
                    records.add(new ProducerRecord<>(topic, settings.partition, key, encode(e, readAt, path)));
                } else {
                    filtered.incrementAndGet();
                }
            }
            entries += read.size();
            advance.put(h, read.get(read.size() - 1).nextOffset());
        }
        if (entries == 0) {
            return 0;
        }
        commit(records, advance);
        return entries;
    }

    /**
     * An entry's record, never larger than the record cap: an entry whose JSON (escapes included) would be larger
     * is cut until it fits, and marked truncated, so one huge line cannot stop the file.
     */
    private byte[] encode(LogEntry e, String readAt, String path) {
        String text = e.text();
        boolean cut = e.truncated();
        byte[] value = json.toJson(FilebeatEvent.of(text, readAt, settings.host, path, e.offset()), cut);
        while (value.length > settings.maxRecordBytes && !text.isEmpty()) {
            text = text.substring(0, (int) (text.length() * (double) settings.maxRecordBytes / value.length * 0.9));
            cut = true;
            value = json.toJson(FilebeatEvent.of(text, readAt, settings.host, path, e.offset()), true);
        }
        if (cut) {
            truncated.incrementAndGet();
        }
        return value;
    }

    private void commit(List<ProducerRecord<byte[], byte[]>> records, Map<Harvester, Long> advance) throws IOException {
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent =
                new ArrayList<>(records.size());
        try {
            producer.beginTransaction();
            for (ProducerRecord<byte[], byte[]> r : records) {
                sent.add(producer.send(r));
            }
            for (var e : advance.entrySet()) {
                Harvester h = e.getKey();
                producer.send(new ProducerRecord<>(Topics.SHIPPER_OFFSETS, offsetKey(h.fileKey()),
                        Json.MAPPER.writeValueAsBytes(new OffsetRegistry.FileState(h.fileKey(), h.path().toString(),
                                e.getValue()))));
            }
            commitRetrying();
        } catch (ProducerFencedException | AuthorizationException e) {
            stopped = true;
            throw new IllegalStateException("shipper for host " + settings.host
                    + " cannot go on (another shipper with the same transactional id took over, or access denied): "
                    + e.getMessage(), e);
        } catch (ShipperStopped e) {
            // asked to stop while the broker was away: nothing of this batch is visible, it is read again next time
            return;
        } catch (KafkaException | IllegalStateException e) {
            // Nothing of the batch became visible; the offsets stay where they were and the batch is read again.
            LOG.warn("batch of {} entries not shipped, will retry: {}", records.size(), cause(e, sent));
            restartProducer();
            return;
        }
        outage.back();
        shipped.addAndGet(records.size());
        for (var e : advance.entrySet()) {
            Harvester h = e.getKey();
            h.advanceTo(e.getValue());
            committedOffsets.put(h.fileKey(), e.getValue());
            registry.put(new OffsetRegistry.FileState(h.fileKey(), h.path().toString(), e.getValue()));
        }
        registry.save();
        lastSentMillis = System.currentTimeMillis();
    }

    /**
     * Commits the open transaction. A commit that times out (the broker went away) is retried, as the client asks,
     * with a growing pause, until it succeeds or the shipper is stopped; the batch is held meanwhile, so buffering
     * is bounded by one batch.
     */
    private void commitRetrying() {
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                outage.down(e);
                if (stopped || !outage.backoff()) {
                    throw new ShipperStopped();
                }
            }
        }
    }

    /** A producer in any doubt is replaced: the new one aborts whatever the old one left open. */
    private void restartProducer() {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("closing a failed producer: {}", e.getMessage());
        }
        producer = newProducer();
    }

    /** The real reason a batch failed: the first record's own failure when there is one, else the error itself. */
    private static String cause(Exception e, List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent) {
        for (var f : sent) {
            if (f.isDone()) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException x) {
                    Throwable c = x.getCause();
                    return c.getClass().getSimpleName() + ": " + c.getMessage();
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * Sends a heartbeat (its own small transaction) when nothing was shipped for a heartbeat interval, as {@link #run()}
     * does between passes; for callers that drive the passes themselves.
     */
    public void heartbeat() {
        try {
            connect();
            heartbeatIfQuiet();
        } catch (ShipperStopped e) {
            // stopped while waiting for the broker: nothing to keep
        }
    }

    private void heartbeatIfQuiet() {
        long now = System.currentTimeMillis();
        if (now - lastSentMillis < FilebeatEvent.HEARTBEAT_MILLIS) {
            return;
        }
        byte[] key = settings.host.getBytes(StandardCharsets.UTF_8);
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, settings.partition, key,
                    FilebeatEvent.heartbeat(settings.host, java.time.Instant.ofEpochMilli(now).toString())));
            commitRetrying();
            outage.back();
            lastSentMillis = now;
        } catch (ProducerFencedException | AuthorizationException e) {
            stopped = true;
            throw new IllegalStateException("shipper for host " + settings.host + " cannot go on: " + e.getMessage(), e);
        } catch (ShipperStopped e) {
            // nothing to keep
        } catch (KafkaException | IllegalStateException e) {
            LOG.debug("heartbeat not sent: {}", e.getMessage());
            restartProducer();
        }
    }

    /**
     * Tells the detector that this shipper stops and sends no more heartbeats (one small transaction, tried once:
     * without it the host's last sessions wait for the shipper until their age cap).
     */
    private void sayStopped() {
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, settings.partition, settings.host.getBytes(StandardCharsets.UTF_8),
                    FilebeatEvent.stopped(settings.host, java.time.Instant.now().toString())));
            producer.commitTransaction();
        } catch (KafkaException | IllegalStateException e) {
            LOG.debug("stop record not sent: {}", e.getMessage());
        }
    }

    /** Drops a finished file's offset (a tombstone), so a new file that reuses its inode starts at 0. */
    private void forget(String fileKey) {
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.SHIPPER_OFFSETS, offsetKey(fileKey), null));
            commitRetrying();
            committedOffsets.remove(fileKey);
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            stopped = true;
            throw new IllegalStateException("shipper for host " + settings.host + " cannot go on: " + e.getMessage(), e);
        } catch (KafkaException | IllegalStateException e) {
            // the tombstone is tried again when the file is retired next time
            restartProducer();
        }
    }

    private byte[] offsetKey(String fileKey) {
        return (settings.host + "|" + fileKey).getBytes(StandardCharsets.UTF_8);
    }

    /** Opens harvesters for new files and notices renames (rotation). */
    private void scan() throws IOException {
        Set<String> present = new HashSet<>();
        for (Path p : settings.glob.files()) {
            String key;
            try {
                key = Harvester.fileKey(p);
            } catch (IOException e) {
                continue; // vanished between listing and stat
            }
            present.add(key);
            Harvester h = harvesters.get(key);
            if (h != null) {
                if (!h.path().equals(p)) {
                    h.renamedTo(p);
                }
                continue;
            }
            long offset = startOffset(key, p);
            try {
                harvesters.put(key, new Harvester(p, key, offset, settings.multilineStart,
                        settings.multilineTimeoutMillis, settings.maxLineBytes));
            } catch (IOException e) {
                LOG.warn("cannot open {}: {}", p, e.getMessage());
            }
        }
        this.presentKeys = present;
    }

    private Set<String> presentKeys = Set.of();

    /** Closes harvesters of files that are gone from the glob, fully shipped and quiet. */
    private void retireFinished() throws IOException {
        var it = harvesters.entrySet().iterator();
        while (it.hasNext()) {
            Harvester h = it.next().getValue();
            if (presentKeys.contains(h.fileKey())) {
                continue;
            }
            // Gone from the glob: keep reading the open handle until it is shipped to the end and quiet.
            if (h.atEnd() && h.idleMillis() >= settings.closeInactiveMillis) {
                h.close();
                it.remove();
                forget(h.fileKey());
                registry.remove(h.fileKey());
                registry.save();
            }
        }
    }

    private long startOffset(String key, Path p) throws IOException {
        Long fromKafka = committedOffsets.get(key);
        OffsetRegistry.FileState local = registry.get(key);
        long offset = fromKafka != null ? fromKafka : local != null ? local.offset() : 0;
        if (offset > Files.size(p)) {
            LOG.warn("{} is shorter than its recorded offset {}; reading it from the start", p, offset);
            offset = 0;
        }
        return offset;
    }

    /** Reads the committed file offsets of this host from the offsets topic (read_committed). */
    private void recoverOffsetsFromKafka() {
        Map<String, Object> p = new HashMap<>();
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", false);
        try (var consumer = new KafkaConsumer<>(settings.kafka.properties(p), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.SHIPPER_OFFSETS,
                    Duration.ofMillis(settings.blockMillis)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            String prefix = settings.host + "|";
            long deadline = System.currentTimeMillis() + 60_000;
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new org.apache.kafka.common.errors.TimeoutException("could not read "
                            + Topics.SHIPPER_OFFSETS + " within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String k = new String(r.key(), StandardCharsets.UTF_8);
                    if (!k.startsWith(prefix)) {
                        continue;
                    }
                    if (r.value() == null) {
                        committedOffsets.remove(k.substring(prefix.length()));
                        continue;
                    }
                    try {
                        JsonNode n = Json.MAPPER.readTree(r.value());
                        committedOffsets.put(n.get("fileKey").asText(), n.get("offset").asLong());
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("unreadable offset record for {}: {}", k, e.getMessage());
                    }
                }
            }
        }
        for (OffsetRegistry.FileState s : registry.all()) {
            Long k = committedOffsets.get(s.fileKey());
            if (k != null && k != s.offset()) {
                LOG.info("{}: registry says offset {}, Kafka holds {}; resuming at {}", s.path(), s.offset(), k, k);
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        if (producer != null && !outage.isDown()) {
            sayStopped();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(outage.isDown() ? 0 : 5));
        }
        json.close();
        for (Harvester h : harvesters.values()) {
            try {
                h.close();
            } catch (IOException e) {
                // closing a read handle cannot lose data
            }
        }
    }

    /** Settings of a {@link Shipper}, builder style. */
    public static final class Settings {
        private final KafkaConnection kafka;
        private final String host;
        private FileGlob glob;
        private Pattern multilineStart;
        private long multilineTimeoutMillis = 1000;
        private LineFilter filter = LineFilter.ALL;
        private Path registryFile;
        private int batchEntries = 20_000;
        private long pollMillis = 100;
        private long closeInactiveMillis = 5_000;
        private int partitions = 1;
        private int replicationFactor = 1;
        private String transactionalId;
        private Integer partition;
        private int maxLineBytes = Harvester.DEFAULT_MAX_LINE_BYTES;
        private int maxRecordBytes = 1_000_000;
        private long blockMillis = 5_000;

        Settings(KafkaConnection kafka, String host) {
            this.kafka = kafka;
            this.host = host;
        }

        public Settings path(String glob) {
            this.glob = new FileGlob(glob);
            return this;
        }

        /** Lines not matching this pattern are joined to the entry before them (stack traces). */
        public Settings multilineStart(String regex) {
            this.multilineStart = regex == null ? null : Pattern.compile(regex);
            return this;
        }

        /** How long the file must be quiet before a possibly unfinished last multi-line entry is shipped. */
        public Settings multilineTimeoutMillis(long ms) {
            this.multilineTimeoutMillis = ms;
            return this;
        }

        public Settings filter(LineFilter filter) {
            this.filter = filter;
            return this;
        }

        public Settings registry(Path file) {
            this.registryFile = file;
            return this;
        }

        public Settings batchEntries(int n) {
            this.batchEntries = Math.max(1, n);
            return this;
        }

        public Settings pollMillis(long ms) {
            this.pollMillis = ms;
            return this;
        }

        /** How long a rotated-away file must be quiet before its handle is closed. */
        public Settings closeInactiveMillis(long ms) {
            this.closeInactiveMillis = ms;
            return this;
        }

        /** Partitions and replication factor of {@code logs.<host>} when the shipper creates it. */
        public Settings topic(int partitions, int replicationFactor) {
            this.partitions = partitions;
            this.replicationFactor = replicationFactor;
            return this;
        }

        /**
         * Sends every entry to this partition of {@code logs.<host>} instead of choosing it by the host name's
         * hash. With few hosts, hashing can put several hosts into the same partition number, and the detector then
         * works on one thread (its tasks follow the partition numbers); pinning each host to its own partition
         * spreads them. One file's lines stay in order either way.
         */
        public Settings partition(int partition) {
            this.partition = partition;
            return this;
        }

        /** Entries longer than this many bytes are cut (and counted): default 256 KiB. */
        public Settings maxLineBytes(int n) {
            if (n < 16) {
                throw new IllegalArgumentException("the line cap must be at least 16 bytes, got " + n);
            }
            this.maxLineBytes = n;
            return this;
        }

        /** No record is larger than this (JSON included): the broker's message size limit, 1 MB by default. */
        public Settings maxRecordBytes(int n) {
            this.maxRecordBytes = Math.max(1024, n);
            return this;
        }

        /** How long one call to the broker may block before the shipper looks at a stop request again. */
        public Settings blockMillis(long ms) {
            this.blockMillis = Math.max(100, ms);
            return this;
        }

        public Settings transactionalId(String id) {
            this.transactionalId = id;
            return this;
        }

        public Shipper build() {
            if (glob == null) {
                throw new IllegalArgumentException("no path glob given");
            }
            if (partition != null && (partition < 0 || partition >= partitions)) {
                throw new IllegalArgumentException("partition " + partition + " is not one of the " + partitions
                        + " partitions of logs." + host);
            }
            if (registryFile == null) {
                registryFile = Path.of("anomalog-ship-" + host + ".registry.json");
            }
            return new Shipper(this);
        }
    }
}
