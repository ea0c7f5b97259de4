package io.anomalog.stream.topology;

import io.anomalog.core.detect.Verdict;
import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.io.Json;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.stream.broker.Topics;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.ship.FilebeatEvent;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * The detector's one processor: reads a log record, parses it into a log key, appends it to its open session in
 * the state store, and closes sessions (inactivity gap on the wall clock, end event, size cap) to score them.
 * Anomalous sessions go to {@code anomalies}; unusable records go to {@code anomalog.deadletter} with the reason.
 * Everything it writes, and its store changes, commit together with the input offsets (exactly-once).
 */
final class SessionProcessor implements Processor<byte[], byte[], String, byte[]> {

    private final DetectorTopology.Settings s;
    private final StreamMetrics metrics;
    /** The model's log keys. */
    private final Set<Integer> vocabulary;
    /**
     * Text of each template the model has no key for, as this processor first met it: it was published to the
     * templates topic then, and anomaly records name it.
     */
    private final java.util.Map<Integer, String> unknownTemplateTexts = new java.util.HashMap<>();
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> sessions;
    private long startedMillis;
    /**
     * This task's open sessions in the order their last line arrived (access order), mirroring the store: the gap
     * check reads only the idle ones at the front, and no line needs a store read.
     */
    private final LinkedHashMap<String, OpenSession> open = new LinkedHashMap<>(1024, 0.75f, true);

    /** An open session: its head and its lines, already encoded as the store keeps them. */
    private static final class OpenSession {
        SessionState.Head head;
        byte[] lines;
        int length;
        /** The log keys so far, so that scoring a normal session never decodes its lines. */
        int[] keys;

        OpenSession(SessionState.Head head, byte[] lines, int[] keys) {
            this.head = head;
            this.lines = lines;
            this.length = lines.length;
            this.keys = keys;
        }

        void append(int key, byte[] line) {
            int n = head.lines();
            if (keys.length < n) {
                keys = java.util.Arrays.copyOf(keys, Math.max(n, keys.length * 2));
            }
            keys[n - 1] = key;
            if (length + line.length > lines.length) {
                lines = java.util.Arrays.copyOf(lines, Math.max(length + line.length, lines.length * 2));
            }
            System.arraycopy(line, 0, lines, length, line.length);
            length += line.length;
        }

        byte[] value() {
            return SessionState.encode(head, lines, length);
        }

        int[] keys() {
            return java.util.Arrays.copyOf(keys, head.lines());
        }

        SessionState state() {
            return SessionState.decode(value());
        }
    }

    SessionProcessor(DetectorTopology.Settings settings) {
        this.s = settings;
        this.metrics = settings.metrics;
        this.vocabulary = Set.copyOf(settings.detector.manifest().vocabulary());
    }

    @Override
    public void init(ProcessorContext<String, byte[]> ctx) {
        this.context = ctx;
        this.sessions = ctx.getStateStore(DetectorTopology.SESSION_STORE);
        // A task revived after an aborted transaction is initialised again with its store reset to the last
        // commit: sessions held from before would carry lines that will be read again.
        open.clear();
        // Sessions restored from the changelog (after a restart or a move to this instance) join the index.
        List<SessionState> restored = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = sessions.all()) {
            while (it.hasNext()) {
                restored.add(SessionState.decode(it.next().value));
            }
        }
        restored.sort(java.util.Comparator.comparingLong(st -> st.head().lastSeenMillis()));
        restored.forEach(st -> open.put(st.host() + "/" + st.sessionId(), new OpenSession(st.head(), st.encodedLines(),
                st.keys())));
        this.startedMillis = System.currentTimeMillis();
        ctx.schedule(s.punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::closeIdleSessions);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.recordsIn.increment();
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? "?" : meta.topic();
        int partition = meta == null ? -1 : meta.partition();
        long offset = meta == null ? -1 : meta.offset();
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            deadLetter(record, topic, partition, offset, "empty record", "");
            return;
        }
        String message;
        String host = Topics.hostOf(topic);
        long fileOffset = -1;
        if (value[0] == '{') {
            // a shipper's JSON event: only its fields are decoded, the record as a whole only for a dead letter
            try {
                FilebeatEvent ev = FilebeatEvent.parse(value);
                message = ev.message();
                if (ev.host() != null && host == null) {
                    host = ev.host();
                }
                fileOffset = ev.offset();
            } catch (IOException | IllegalArgumentException e) {
                deadLetter(record, topic, partition, offset, "not a usable JSON log event: " + firstLine(e.getMessage()),
                        new String(value, StandardCharsets.UTF_8));
                return;
            }
        } else {
            message = new String(value, StandardCharsets.UTF_8);
        }
        if (host == null) {
            host = "unknown";
        }
        LogRecord lr = s.format == null ? new LogRecord(topic, offset, fileOffset, host, null, null, message, true, false)
                : s.format.parse(message, topic, offset, fileOffset);
        if (!lr.headerMatched()) {
            deadLetter(record, topic, partition, offset, "line does not match log format " + s.format.name(), message);
            return;
        }
        String sessionId = s.sessionIds.find(lr.content());
        if (sessionId == null) {
            deadLetter(record, topic, partition, offset, "no session id (pattern " + s.sessionIds.pattern() + ")", message);
            return;
        }
        ParsedEvent event;
        try {
            // The miner is shared by every stream thread. Drain is thread-safe (it locks only to learn a new
            // template); any other miner is called one thread at a time.
            if (s.miner instanceof io.anomalog.core.template.Drain drain) {
                event = drain.add(lr);
            } else {
                synchronized (s.miner) {
                    event = s.miner.add(lr);
                }
            }
        } catch (RuntimeException e) {
            deadLetter(record, topic, partition, offset, "template parsing failed: " + e, message);
            return;
        }
        int logKey = s.liveKeys.keyOf(s.keyOf.applyAsInt(event.templateId()), event.template());
        if (!vocabulary.contains(logKey) && unknownTemplateTexts.putIfAbsent(logKey, event.template()) == null) {
            // A template the model never saw: share it so every instance and reader knows the new key.
            metrics.newTemplates.increment();
            context.forward(new Record<>(String.valueOf(logKey),
                    event.template().getBytes(StandardCharsets.UTF_8), record.timestamp()), DetectorTopology.TEMPLATES_SINK);
        }
        metrics.parsed.increment();
        long now = System.currentTimeMillis();
        String key = host + "/" + sessionId;
        OpenSession session = open.get(key);
        if (session == null) {
            session = new OpenSession(new SessionState.Head(host, sessionId, 1, now, now), new byte[256], new int[8]);
            session.length = 0;
            open.put(key, session);
        } else {
            session.head = session.head.next(now);
        }
        session.append(logKey, new SessionState.Line(logKey, message, lr.timestamp(), topic, partition, offset, fileOffset)
                .toBytes());
        if (s.endEvent != null && s.endEvent.matcher(lr.content()).find()) {
            close(List.of(key), "end", now);
        } else if (session.head.lines() >= s.maxSessionLines) {
            close(List.of(key), "size", now);
        } else {
            // The whole session is one value: the record cache keeps only its last version until the commit.
            sessions.put(key, session.value());
        }
    }

    private void closeIdleSessions(long now) {
        List<String> idle = new ArrayList<>();
        long gap = s.sessionGap.toMillis();
        // After a restart, restored sessions get a full gap again: their next lines may still be queued.
        long cutoff = now - gap;
        if (now - startedMillis >= gap) {
            for (var e : open.entrySet()) {
                if (e.getValue().head.lastSeenMillis() > cutoff) {
                    break; // access order: every later session is more recent
                }
                idle.add(e.getKey());
            }
        }
        if (!idle.isEmpty()) {
            close(idle, "gap", now);
        }
        metrics.openSessions(context.taskId().toString(), open.size());
    }

    /** Scores the sessions, writes the anomalous ones, and removes all of them from the stores. */
    private void close(List<String> closing, String reason, long closedAt) {
        List<OpenSession> closed = new ArrayList<>(closing.size());
        List<Sequence> seqs = new ArrayList<>(closing.size());
        for (String key : closing) {
            OpenSession o = open.remove(key);
            // One tombstone per session; a session opened and closed within one commit interval may never
            // reach the changelog at all.
            sessions.delete(key);
            closed.add(o);
            seqs.add(new Sequence(o.head.sessionId(), o.keys(), Label.UNKNOWN));
        }
        // All sessions closed by one punctuation are scored together (the detector batches its forward passes).
        List<Verdict> verdicts = s.detector.scoreAll(seqs);
        long detectedAt = System.currentTimeMillis();
        for (int i = 0; i < closed.size(); i++) {
            metrics.sessionsClosed.increment();
            Verdict v = verdicts.get(i);
            if (!v.anomalous()) {
                continue;
            }
            SessionState st = closed.get(i).state(); // only anomalous sessions need their lines back
            if (st.lines().isEmpty()) {
                continue;
            }
            AnomalyRecord a = new AnomalyRecord(st.host(), st.sessionId(), st.keys(), st.lines(), v.score(),
                    v.explanation() == null ? null : v.explanation().summary(), v.explanation(),
                    unknownTemplates(st.keys()),
                    s.detector.method(), s.modelVersion, reason, st.lines().get(0).timestamp(),
                    Instant.ofEpochMilli(st.firstSeenMillis()).toString(), Instant.ofEpochMilli(closedAt).toString(),
                    Instant.ofEpochMilli(detectedAt).toString());
            try {
                context.forward(new Record<>(st.host() + "/" + st.sessionId(), Json.MAPPER.writeValueAsBytes(a),
                        closedAt), DetectorTopology.ANOMALIES_SINK);
                metrics.anomalies.increment();
            } catch (IOException e) {
                throw new IllegalStateException("cannot write anomaly record", e);
            }
        }
    }

    /** The texts of a session's keys that the model has no key for, or null when there are none. */
    private java.util.Map<Integer, String> unknownTemplates(int[] keys) {
        java.util.Map<Integer, String> out = new java.util.TreeMap<>();
        for (int k : keys) {
            String text = unknownTemplateTexts.get(k);
            if (text != null) {
                out.put(k, text);
            }
        }
        return out.isEmpty() ? null : out;
    }

    private void deadLetter(Record<byte[], byte[]> record, String topic, int partition, long offset, String reason,
                            String text) {
        metrics.deadLetters.increment();
        DeadLetter dl = new DeadLetter(topic + "-" + partition, offset, reason, text);
        try {
            context.forward(new Record<>(topic + "-" + partition + "@" + offset, Json.MAPPER.writeValueAsBytes(dl),
                    record.timestamp()), DetectorTopology.DEAD_LETTER_SINK);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write dead letter", e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        open.clear();
        if (context != null) {
            metrics.forgetTask(context.taskId().toString());
        }
    }
}
