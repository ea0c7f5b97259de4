package io.anomalog.stream.topology;

import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.ingest.LineProblem;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.stream.metrics.StreamMetrics;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stage 3 for sessions: appends each event to the open sessions of its ids (the one session-id rule of batch and
 * live, {@link io.anomalog.core.session.SessionIdRule}) in the state store, and closes sessions on their end
 * event, at the size cap, after the inactivity gap or at the age cap; closed sessions of one call go together to
 * the scoring stage. Sessions are per host: each host's lines are their own partition.
 */
final class SessionStage implements Processor<String, Object, String, Object> {

    private final GroupingSpec.Sessions spec;
    private final IngestPipeline pipeline;
    private final StreamMetrics metrics;
    private final java.time.Duration punctuateInterval;
    private final HostClocks clocks;
    private final int maxOpen;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> store;
    private StageDeadLetters deadLetters;
    /**
     * This task's open sessions in the order their last line arrived (access order), mirroring the store: the gap
     * check reads only the idle ones at the front, and no line needs a store read.
     */
    private final LinkedHashMap<String, Open> open = new LinkedHashMap<>(1024, 0.75f, true);
    /** Sessions of {@link #open} by host, kept as they open and close so reporting them counts nothing. */
    private final Map<String, Long> openByHost = new HashMap<>();

    /** An open session: its head, its keys, and its last chunk (its head bytes, then encoded lines). */
    private static final class Open {
        SessionState.Head head;
        int[] keys;
        byte[] chunk;
        int chunkLength;

        Open(SessionState.Head head, int[] keys, byte[] chunk, int chunkLength) {
            this.head = head;
            this.keys = keys;
            this.chunk = chunk;
            this.chunkLength = chunkLength;
        }

        int[] keys() {
            return Arrays.copyOf(keys, head.lines());
        }
    }

    SessionStage(DetectorTopology.Settings s, GroupingSpec.Sessions spec) {
        this.spec = spec;
        this.pipeline = s.pipeline;
        this.metrics = s.metrics;
        this.punctuateInterval = s.punctuateInterval;
        this.clocks = new HostClocks(s.quietHost.toMillis());
        this.maxOpen = s.maxOpenSessions;
    }

    @Override
    public void init(ProcessorContext<String, Object> ctx) {
        this.context = ctx;
        this.store = ctx.getStateStore(DetectorTopology.GROUP_STORE);
        this.deadLetters = new StageDeadLetters(ctx, metrics);
        // A task revived after an aborted transaction is initialised again with its store reset to the last
        // commit: sessions held from before would carry lines that will be read again.
        open.clear();
        openByHost.clear();
        restore();
        ctx.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::closeIdle);
    }

    /** Sessions restored from the changelog (after a restart or a move to this instance) join the index. */
    private void restore() {
        Map<String, SessionState.Head> heads = new HashMap<>();
        Map<String, TreeMap<Integer, byte[]>> chunks = new HashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                if (SessionState.isChunkKey(kv.key)) {
                    chunks.computeIfAbsent(SessionState.headOf(kv.key), k -> new TreeMap<>())
                            .put(SessionState.chunkOf(kv.key), kv.value);
                } else {
                    heads.put(kv.key, SessionState.Head.fromBytes(kv.value));
                }
            }
        }
        // the real clock: the runtime's cached time may predate the restoration that preceded this call; a quiet
        // host gets a full quiet time from the restart, as its queued lines may not have been read yet
        long wall = System.currentTimeMillis();
        for (var e : heads.entrySet()) {
            TreeMap<Integer, byte[]> c = chunks.get(e.getKey());
            if (c != null && !c.isEmpty()) {
                e.setValue(SessionState.current(e.getValue(), c.lastEntry().getValue()));
            }
        }
        heads.values().forEach(h -> clocks.restore(h.host(), h.lastTime(), wall));
        List<Map.Entry<String, SessionState.Head>> byLastSeen = new ArrayList<>(heads.entrySet());
        byLastSeen.sort(Comparator.comparingLong(e -> e.getValue().lastSeenMillis()));
        for (var e : byLastSeen) {
            SessionState.Head head = e.getValue();
            List<Integer> keyList = new ArrayList<>();
            byte[] last = null;
            for (byte[] c : chunks.getOrDefault(e.getKey(), new TreeMap<>()).values()) {
                for (SessionState.Line l : SessionState.decodeChunk(c, c.length)) {
                    keyList.add(l.key());
                }
                last = c;
            }
            int[] keys = new int[Math.max(8, head.lines())];
            for (int i = 0; i < Math.min(head.lines(), keyList.size()); i++) {
                keys[i] = keyList.get(i);
            }
            boolean lastFull = last == null || head.lines() % SessionState.CHUNK_LINES == 0;
            openByHost.merge(hostKey(head.host()), 1L, Long::sum);
            open.put(e.getKey(), new Open(head, keys, lastFull ? new byte[256] : Arrays.copyOf(last,
                    Math.max(256, last.length * 2)), lastFull ? SessionState.CHUNK_HEAD : last.length));
        }
    }

    @Override
    public void process(Record<String, Object> record) {
        long now = context.currentSystemTimeMs();
        if (record.value() instanceof Tick t) {
            clocks.signal(record.key(), t, record.timestamp(), now);
            return;
        }
        long hostTime = clocks.observe(record.key(), record.timestamp(), now, false);
        ParsedEvent e = (ParsedEvent) record.value();
        List<String> ids = spec.ids().idsOf(e);
        if (ids.isEmpty()) {
            pipeline.reject(e.record(), LineProblem.NO_SESSION_ID, " (" + spec.ids().describe() + ")", deadLetters);
            return;
        }
        String host = record.key();
        RecordMetadata meta = context.recordMetadata().orElse(null);
        LogRecord r = e.record();
        byte[] line = new SessionState.Line(e.templateId(), r.line(), r.timestamp(), meta == null ? "?" : meta.topic(),
                meta == null ? -1 : meta.partition(), meta == null ? -1 : meta.offset(), r.offset()).toBytes();
        boolean ends = spec.endEvent() != null && spec.endEvent().matcher(r.content()).find();
        List<String> closing = null;
        for (String id : ids) {
            String key = SessionState.headKey(host, id);
            Open o = open.get(key);
            if (o == null) {
                o = new Open(new SessionState.Head(host, id, 1, now, now, hostTime), new int[8],
                        new byte[256], SessionState.CHUNK_HEAD);
                open.put(key, o);
                // the parts of the head that never change; the chunks carry the rest
                store.put(key, o.head.toBytes());
                openByHost.merge(hostKey(host), 1L, Long::sum);
                if (open.size() > maxOpen) {
                    // a flood of distinct ids: the session quiet for longest is closed and scored now
                    String eldest = open.keySet().iterator().next();
                    metrics.evictedSessions.increment();
                    close(List.of(eldest), "evicted", now);
                }
            } else {
                o.head = o.head.next(now, hostTime);
            }
            append(key, o, e.templateId(), line);
            if (ends || o.head.lines() >= spec.maxEvents()) {
                if (closing == null) {
                    closing = new ArrayList<>(ids.size());
                }
                closing.add(key);
            }
        }
        if (closing != null) {
            close(closing, ends ? "end" : "size", now);
        }
    }

    /** Adds a line: the session's last chunk, which starts with the head's counts, is rewritten, nothing else. */
    private void append(String key, Open o, int logKey, byte[] line) {
        int n = o.head.lines();
        if (o.keys.length < n) {
            o.keys = Arrays.copyOf(o.keys, Math.max(n, o.keys.length * 2));
        }
        o.keys[n - 1] = logKey;
        if (o.chunkLength + line.length > o.chunk.length) {
            o.chunk = Arrays.copyOf(o.chunk, Math.max(o.chunkLength + line.length, o.chunk.length * 2));
        }
        System.arraycopy(line, 0, o.chunk, o.chunkLength, line.length);
        o.chunkLength += line.length;
        SessionState.writeChunkHead(o.head, o.chunk);
        int chunk = (n - 1) / SessionState.CHUNK_LINES;
        // the record cache keeps only the last version of each until the commit: one changelog write each
        store.put(SessionState.chunkKey(key, chunk), Arrays.copyOf(o.chunk, o.chunkLength));
        if (n % SessionState.CHUNK_LINES == 0) {
            o.chunkLength = SessionState.CHUNK_HEAD;     // the next line starts a new chunk
        }
    }

    /**
     * Closes the sessions whose host's time (see {@link HostClocks}) has passed their last line by the gap, and
     * those open longer than the age cap (wall clock).
     */
    private void closeIdle(long now) {
        List<String> idle = new ArrayList<>();
        List<String> old = new ArrayList<>();
        long gap = spec.gap().toMillis();
        long ageCutoff = now - spec.maxAge().toMillis();
        Map<String, Long> hostNow = new HashMap<>();
        for (var e : open.entrySet()) {
            SessionState.Head h = e.getValue().head;
            long hostTime = hostNow.computeIfAbsent(h.host(), host -> clocks.now(host, now));
            if (hostTime != Long.MIN_VALUE && hostTime - h.lastTime() >= gap) {
                idle.add(e.getKey());
            } else if (h.firstSeenMillis() <= ageCutoff) {
                old.add(e.getKey());
            }
        }
        if (!idle.isEmpty()) {
            close(idle, "gap", now);
        }
        if (!old.isEmpty()) {
            metrics.overlongSessions.add(old.size());
            close(old, "age", now);
        }
        reportOpen();
    }

    /** Hands the sessions to the scoring stage, then removes them from the store. */
    private void close(List<String> closing, String reason, long closedAt) {
        List<ClosedGroup> batch = new ArrayList<>(closing.size());
        List<Open> removed = new ArrayList<>(closing.size());
        for (String key : closing) {
            Open o = open.remove(key);
            openByHost.computeIfPresent(hostKey(o.head.host()), (h, n) -> n > 1 ? n - 1 : null);
            removed.add(o);
            Open last = o;
            batch.add(new ClosedGroup(o.head.host(), o.head.sessionId(), o.keys(), reason, o.head.firstSeenMillis(),
                    closedAt, () -> lines(key, last)));
        }
        // the scoring stage runs inside this call: the lines are still in the store when it asks for them
        context.forward(new Record<>(batch.get(0).host(), (Object) batch, closedAt), DetectorTopology.SCORE);
        for (int i = 0; i < closing.size(); i++) {
            String key = closing.get(i);
            // tombstones; a session opened and closed within one commit interval may never reach the changelog
            store.delete(key);
            for (int c = 0; c < removed.get(i).head.chunks(); c++) {
                store.delete(SessionState.chunkKey(key, c));
            }
        }
        reportOpen();
    }

    private static String hostKey(String host) {
        return host == null ? "unknown" : host; // the name the decode stage gives a record of no host
    }

    private void reportOpen() {
        metrics.openSessions(context.taskId().toString(), open.size(), Map.copyOf(openByHost));
    }

    private List<SessionState.Line> lines(String key, Open o) {
        List<SessionState.Line> out = new ArrayList<>(o.head.lines());
        for (int c = 0; c < o.head.chunks(); c++) {
            byte[] chunk = store.get(SessionState.chunkKey(key, c));
            if (chunk != null) {
                out.addAll(SessionState.decodeChunk(chunk, chunk.length));
            }
        }
        return out;
    }

    @Override
    public void close() {
        open.clear();
        openByHost.clear();
        if (context != null) {
            metrics.forgetTask(context.taskId().toString());
        }
    }
}
