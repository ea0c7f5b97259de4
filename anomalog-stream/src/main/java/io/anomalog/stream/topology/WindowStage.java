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

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 3 for windows: each host's events in windows of a number of events, or of event time, as the batch
 * groupers cut them (the same window ids: {@code w<first event index>}, or the window start in ISO-8601).
 *
 * <ul>
 *   <li>Windows of events close when full. A host that sends nothing for the gap gets its pending events as one
 *       last, shorter window, as batch does at the end of its input, and its windows start afresh with its next
 *       line.</li>
 *   <li>Time windows close when the host's event time (the latest timestamp seen from it) passes their end plus
 *       the grace. A line older than every window still open is late and goes to the dead letters. A host that
 *       sends nothing for a window's length plus the grace (wall clock) gets its open windows closed.</li>
 * </ul>
 * Each event is stored once (under {@code host NUL sequence}); windows are read from it when they close.
 */
final class WindowStage implements Processor<String, Object, String, Object> {

    private static final char SEPARATOR = '\0';
    private static final byte FORMAT_VERSION = 1;

    private final GroupingSpec spec;
    private final IngestPipeline pipeline;
    private final StreamMetrics metrics;
    private final java.time.Duration punctuateInterval;
    private final long idleMillis;
    private final HostClocks clocks;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> store;
    private StageDeadLetters deadLetters;
    private final Map<String, HostWindows> hosts = new HashMap<>();

    /** One buffered event: its sequence number, log key and event time. */
    private record Event(long seq, int key, long time) {
    }

    /** A host's windowing state; {@link #head()} is what the store keeps of it. */
    private static final class HostWindows {
        final String host;
        long nextSeq;
        /** Count windows: index of the next window's first event. Time windows: the next window's start. */
        long nextStart;
        boolean started;
        long streamTime = Long.MIN_VALUE;
        long lastSeenMillis;
        long firstSeenMillis;
        /** Count windows: the end (exclusive event index) of the last window closed. */
        long lastClosedEnd;
        /** The record timestamp of the host's last event (its time then, see {@link HostClocks}). */
        long lastTime;
        final ArrayDeque<Event> events = new ArrayDeque<>();

        HostWindows(String host) {
            this.host = host;
        }

        byte[] head() {
            byte[] h = host.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return ByteBuffer.allocate(1 + 4 + h.length + 8 + 8 + 1 + 8 + 8 + 8 + 8 + 8).put(FORMAT_VERSION)
                    .putInt(h.length).put(h).putLong(nextSeq).putLong(nextStart).put((byte) (started ? 1 : 0))
                    .putLong(streamTime).putLong(lastSeenMillis).putLong(firstSeenMillis).putLong(lastClosedEnd)
                    .putLong(lastTime).array();
        }

        static HostWindows of(byte[] head) {
            ByteBuffer b = ByteBuffer.wrap(head);
            if (b.get() != FORMAT_VERSION) {
                throw new IllegalStateException("open windows stored in another format: reset the stream "
                        + "application (use a new --application-id)");
            }
            byte[] h = new byte[b.getInt()];
            b.get(h);
            HostWindows w = new HostWindows(new String(h, java.nio.charset.StandardCharsets.UTF_8));
            w.nextSeq = b.getLong();
            w.nextStart = b.getLong();
            w.started = b.get() == 1;
            w.streamTime = b.getLong();
            w.lastSeenMillis = b.getLong();
            w.firstSeenMillis = b.getLong();
            w.lastClosedEnd = b.getLong();
            w.lastTime = b.getLong();
            return w;
        }
    }

    WindowStage(DetectorTopology.Settings s, GroupingSpec spec) {
        this.spec = spec;
        this.pipeline = s.pipeline;
        this.metrics = s.metrics;
        this.punctuateInterval = s.punctuateInterval;
        this.idleMillis = spec instanceof GroupingSpec.TimeWindows t ? t.size().plus(t.grace()).toMillis()
                : s.idleGap.toMillis();
        this.clocks = new HostClocks(s.quietHost.toMillis());
    }

    @Override
    public void init(ProcessorContext<String, Object> ctx) {
        this.context = ctx;
        this.store = ctx.getStateStore(DetectorTopology.GROUP_STORE);
        this.deadLetters = new StageDeadLetters(ctx, metrics);
        hosts.clear();
        restore();
        ctx.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::closeIdle);
    }

    private void restore() {
        Map<String, List<Event>> events = new HashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                int sep = kv.key.indexOf(SEPARATOR);
                if (sep < 0) {
                    hosts.put(kv.key, HostWindows.of(kv.value));
                } else {
                    ByteBuffer b = ByteBuffer.wrap(kv.value);
                    long time = b.getLong();
                    SessionState.Line l = SessionState.Line.fromBytes(java.util.Arrays.copyOfRange(kv.value, 8,
                            kv.value.length));
                    events.computeIfAbsent(kv.key.substring(0, sep), k -> new ArrayList<>())
                            .add(new Event(Long.parseLong(kv.key.substring(sep + 1)), l.key(), time));
                }
            }
        }
        long wall = System.currentTimeMillis();
        hosts.values().forEach(w -> clocks.restore(w.host, w.lastTime, wall));
        events.forEach((host, list) -> {
            list.sort(Comparator.comparingLong(Event::seq));
            HostWindows w = hosts.get(host);
            if (w != null) {
                w.events.addAll(list);
            }
        });
    }

    @Override
    public void process(Record<String, Object> record) {
        String host = record.key();
        long now = context.currentSystemTimeMs();
        if (record.value() instanceof Tick) {
            clocks.observe(host, record.timestamp(), now, true);
            return;
        }
        clocks.observe(host, record.timestamp(), now, false);
        ParsedEvent e = (ParsedEvent) record.value();
        LogRecord r = e.record();
        long time = 0;
        if (spec instanceof GroupingSpec.TimeWindows) {
            Instant t = r.time();
            if (t == null) {
                pipeline.reject(r, LineProblem.NO_TIMESTAMP, " ('" + r.timestamp() + "')", deadLetters);
                return;
            }
            time = t.toEpochMilli();
        }
        HostWindows w = hosts.computeIfAbsent(host, HostWindows::new);
        if (spec instanceof GroupingSpec.TimeWindows t) {
            long size = t.size().toMillis();
            long step = t.step().toMillis();
            if (!w.started) {
                w.nextStart = firstStartCovering(time, size, step);
                w.started = true;
            } else if (time < w.nextStart) {
                pipeline.reject(r, LineProblem.LATE, " (" + Instant.ofEpochMilli(time) + " before the open window at "
                        + Instant.ofEpochMilli(w.nextStart) + ")", deadLetters);
                return;
            }
        }
        if (w.events.isEmpty()) {
            w.firstSeenMillis = now;
        }
        RecordMetadata meta = context.recordMetadata().orElse(null);
        byte[] line = new SessionState.Line(e.templateId(), r.line(), r.timestamp(), meta == null ? "?" : meta.topic(),
                meta == null ? -1 : meta.partition(), meta == null ? -1 : meta.offset(), r.offset()).toBytes();
        long seq = w.nextSeq++;
        store.put(eventKey(host, seq), ByteBuffer.allocate(8 + line.length).putLong(time).put(line).array());
        w.events.addLast(new Event(seq, e.templateId(), time));
        w.lastSeenMillis = now;
        w.lastTime = Math.max(w.lastTime, record.timestamp());
        if (spec instanceof GroupingSpec.CountWindows c) {
            if (!w.started) {
                w.nextStart = seq;
                w.started = true;
            }
            closeFullCountWindows(w, c, now);
        } else {
            w.streamTime = Math.max(w.streamTime, time);
            closeDueTimeWindows(w, (GroupingSpec.TimeWindows) spec, now, false);
        }
        store.put(host, w.head());
    }

    private void closeFullCountWindows(HostWindows w, GroupingSpec.CountWindows c, long now) {
        List<ClosedGroup> batch = new ArrayList<>();
        while (w.nextStart + c.size() <= w.nextSeq) {
            batch.add(window(w, "w" + w.nextStart, w.nextStart, w.nextStart + c.size(), "full", now));
            w.nextStart += c.step();
        }
        emit(w, batch);
    }

    private void closeDueTimeWindows(HostWindows w, GroupingSpec.TimeWindows t, long now, boolean all) {
        long size = t.size().toMillis();
        long step = t.step().toMillis();
        long grace = t.grace().toMillis();
        List<ClosedGroup> batch = new ArrayList<>();
        boolean drained = false;
        while (!w.events.isEmpty() && (all || w.nextStart + size + grace <= w.streamTime)) {
            long start = w.nextStart;
            List<Event> in = new ArrayList<>();
            long earliestAfter = Long.MAX_VALUE;
            for (Event ev : w.events) {
                if (ev.time >= start && ev.time < start + size) {
                    in.add(ev);
                }
                if (ev.time >= start + step) {
                    earliestAfter = Math.min(earliestAfter, ev.time);
                }
            }
            if (!in.isEmpty()) {
                in.sort(Comparator.comparingLong(Event::time).thenComparingLong(Event::seq));
                batch.add(timeWindow(w, start, in, all ? "idle" : "time", now));
            }
            // the next window holding an event: skips empty stretches, as the batch grouper does
            w.nextStart = earliestAfter == Long.MAX_VALUE ? start + step
                    : Math.max(start + step, firstStartCovering(earliestAfter, size, step));
            if (earliestAfter == Long.MAX_VALUE) {
                drained = true;
                break;
            }
        }
        emit(w, batch);
        // only now: the scoring stage read the closed windows' lines during emit
        pruneBefore(w, drained ? Long.MAX_VALUE : w.nextStart, true);
        if (drained && all) {
            w.started = false;
        }
    }

    private void closeIdle(long now) {
        for (HostWindows w : new ArrayList<>(hosts.values())) {
            long hostTime = clocks.now(w.host, now);
            if (w.events.isEmpty() || hostTime == Long.MIN_VALUE || hostTime - w.lastTime < idleMillis) {
                continue;
            }
            if (spec instanceof GroupingSpec.CountWindows) {
                // events no closed window covered form one last, shorter window (as batch ends its input), and
                // windows start afresh with the host's next line
                List<ClosedGroup> batch = new ArrayList<>();
                if (w.nextStart < w.nextSeq && w.lastClosedEnd < w.nextSeq) {
                    batch.add(window(w, "w" + w.nextStart, w.nextStart, w.nextSeq, "idle", now));
                }
                w.nextStart = w.nextSeq;
                emit(w, batch);
            } else {
                closeDueTimeWindows(w, (GroupingSpec.TimeWindows) spec, now, true);
            }
            store.put(w.host, w.head());
        }
    }

    private ClosedGroup window(HostWindows w, String id, long fromSeq, long toSeq, String reason, long now) {
        List<Event> in = new ArrayList<>();
        for (Event ev : w.events) {
            if (ev.seq >= fromSeq && ev.seq < toSeq) {
                in.add(ev);
            }
        }
        w.lastClosedEnd = Math.max(w.lastClosedEnd, toSeq);
        return group(w, id, in, reason, now);
    }

    private ClosedGroup timeWindow(HostWindows w, long start, List<Event> in, String reason, long now) {
        return group(w, Instant.ofEpochMilli(start).toString(), in, reason, now);
    }

    private ClosedGroup group(HostWindows w, String id, List<Event> in, String reason, long now) {
        int[] keys = new int[in.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = in.get(i).key;
        }
        String host = w.host;
        List<Long> seqs = in.stream().map(Event::seq).toList();
        return new ClosedGroup(host, id, keys, reason, w.firstSeenMillis, now, () -> {
            List<SessionState.Line> lines = new ArrayList<>(seqs.size());
            for (long s : seqs) {
                byte[] v = store.get(eventKey(host, s));
                if (v != null) {
                    lines.add(SessionState.Line.fromBytes(java.util.Arrays.copyOfRange(v, 8, v.length)));
                }
            }
            return lines;
        });
    }

    /** Sends closed windows to the scoring stage, then drops the events no open window needs. */
    private void emit(HostWindows w, List<ClosedGroup> batch) {
        if (!batch.isEmpty()) {
            context.forward(new Record<>(w.host, (Object) batch, context.currentSystemTimeMs()), DetectorTopology.SCORE);
        }
        if (spec instanceof GroupingSpec.CountWindows) {
            pruneBefore(w, w.nextStart, false);
        }
        if (!w.events.isEmpty()) {
            w.firstSeenMillis = w.lastSeenMillis;
        }
    }

    /** Removes events before a sequence number (count windows) or a time (time windows). */
    private void pruneBefore(HostWindows w, long bound, boolean byTime) {
        w.events.removeIf(ev -> {
            boolean drop = byTime ? ev.time < bound : ev.seq < bound;
            if (drop) {
                store.delete(eventKey(w.host, ev.seq));
            }
            return drop;
        });
    }

    private static String eventKey(String host, long seq) {
        return host + SEPARATOR + seq;
    }

    /** The earliest window start (a multiple of step) whose window [start, start + size) contains t. */
    static long firstStartCovering(long t, long sizeMs, long stepMs) {
        return Math.floorDiv(t - sizeMs, stepMs) * stepMs + stepMs;
    }

    @Override
    public void close() {
        hosts.clear();
    }
}
