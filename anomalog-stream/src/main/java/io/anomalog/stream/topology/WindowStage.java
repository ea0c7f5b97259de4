package io.anomalog.stream.topology;

import io.anomalog.core.features.WindowFeatureModel;
import io.anomalog.core.features.WindowFeatures;
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
 *
 * <p>For a model that judges window feature vectors ({@link DetectorTopology.Settings#features}), time windows are
 * judged per service and host, as batch judges them: each event is stored with the few fields the feature vector
 * reads (service, host, level, status, response time, user, client address; nothing more for key models), a
 * closing window of a host becomes one window per series ({@code service@host}) through the same
 * {@link WindowFeatures} extractor and {@link WindowFeatureModel} batch uses, and every series the host had before
 * gets its windows up to this one, empty ones included (batch gives every series a window for every step). Each
 * series keeps its last vectors (under {@code host SOH service@host}) for the history the model reads.
 *
 * <p>Stored values start with {@link #FORMAT_VERSION}; a store of another version is refused with a message.
 */
final class WindowStage implements Processor<String, Object, String, Object> {

    private static final char SEPARATOR = '\0';
    /** Separates a host from a series name in the keys of series histories. */
    private static final char HISTORY = '\u0001';
    /** 2: every stored value starts with the version; events may carry their feature fields. */
    static final byte FORMAT_VERSION = 2;
    /** Version byte, event time, line length. */
    private static final int EVENT_HEAD = 1 + 8 + 4;

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
    /** The window feature model, or null: events are then stored with their key and time only. */
    private final WindowFeatureModel features;

    /** One buffered event: its sequence number, log key and event time, and its fields when features are on. */
    private record Event(long seq, int key, long time, Fields fields) {
    }

    /**
     * What a feature vector reads of an event.
     *
     * @param host null when it is the host whose topic the event came from (the usual case, not stored again)
     * @param level {@link WindowFeatures#levelIndex}
     */
    record Fields(String service, String host, int level, Integer status, double latency, String user,
                  String address, String operation) {

        static Fields of(LogRecord r, String topicHost, WindowFeatures.Fields names) {
            Map<String, Object> f = r.fields();
            double latency = names.latencyOf(f);
            // the operation only says which norm a response time is judged against: without one it is not stored
            return new Fields(r.component(), r.host() == null || r.host().equals(topicHost) ? null : r.host(),
                    WindowFeatures.levelIndex(r.level()), names.statusOf(f), latency, names.userOf(f),
                    names.addressOf(f), Double.isNaN(latency) ? null : names.operationOf(f));
        }

        /** Flag bits of the stored form; an event stored before the operation bit existed reads without one. */
        void write(java.io.DataOutputStream out) throws java.io.IOException {
            int flags = (service != null ? 1 : 0) | (host != null ? 2 : 0) | (status != null ? 4 : 0)
                    | (!Double.isNaN(latency) ? 8 : 0) | (user != null ? 16 : 0) | (address != null ? 32 : 0)
                    | (operation != null ? 64 : 0);
            out.writeByte(flags);
            out.writeByte(level);
            if (service != null) {
                out.writeUTF(service);
            }
            if (host != null) {
                out.writeUTF(host);
            }
            if (status != null) {
                out.writeInt(status);
            }
            if (!Double.isNaN(latency)) {
                out.writeDouble(latency);
            }
            if (user != null) {
                out.writeUTF(user);
            }
            if (address != null) {
                out.writeUTF(address);
            }
            if (operation != null) {
                out.writeUTF(operation);
            }
        }

        static Fields read(java.io.DataInputStream in) throws java.io.IOException {
            int flags = in.readUnsignedByte();
            int level = in.readUnsignedByte();
            return new Fields((flags & 1) != 0 ? in.readUTF() : null, (flags & 2) != 0 ? in.readUTF() : null, level,
                    (flags & 4) != 0 ? in.readInt() : null, (flags & 8) != 0 ? in.readDouble() : Double.NaN,
                    (flags & 16) != 0 ? in.readUTF() : null, (flags & 32) != 0 ? in.readUTF() : null,
                    (flags & 64) != 0 ? in.readUTF() : null);
        }
    }

    /** A series' last windows: the standardised vectors the model reads as history, oldest first. */
    private static final class SeriesHistory {
        final String service;
        final String host;
        long lastStart = Long.MIN_VALUE;
        final ArrayDeque<double[]> rows = new ArrayDeque<>();

        SeriesHistory(String service, String host) {
            this.service = service;
            this.host = host;
        }

        String name() {
            return service + "@" + host;
        }

        byte[] toBytes() {
            try {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
                out.writeByte(FORMAT_VERSION);
                out.writeUTF(service);
                out.writeUTF(host);
                out.writeLong(lastStart);
                out.writeInt(rows.size());
                out.writeInt(rows.isEmpty() ? 0 : rows.peekFirst().length);
                for (double[] r : rows) {
                    for (double v : r) {
                        out.writeDouble(v);
                    }
                }
                return bytes.toByteArray();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        static SeriesHistory of(byte[] v) {
            try {
                java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(v));
                checkVersion(in.readByte());
                SeriesHistory h = new SeriesHistory(in.readUTF(), in.readUTF());
                h.lastStart = in.readLong();
                int n = in.readInt();
                int width = in.readInt();
                for (int i = 0; i < n; i++) {
                    double[] r = new double[width];
                    for (int j = 0; j < width; j++) {
                        r[j] = in.readDouble();
                    }
                    h.rows.addLast(r);
                }
                return h;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("unreadable series history in the window store: " + e.getMessage(), e);
            }
        }
    }

    static void checkVersion(byte found) {
        if (found != FORMAT_VERSION) {
            throw new IllegalStateException("open windows stored in another format (version " + found + "; this "
                    + "anomalog stores version " + FORMAT_VERSION + "): reset the stream application (use a new "
                    + "--application-id, or delete its state folder)");
        }
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
        /** The host's time when its last event came (see {@link HostClocks}). */
        long lastTime;
        final ArrayDeque<Event> events = new ArrayDeque<>();
        /** Feature windows: the host's series by name, in name order. */
        final Map<String, SeriesHistory> series = new java.util.TreeMap<>();

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
            checkVersion(b.get());
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
        this.features = s.features;
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
        Map<String, List<SeriesHistory>> histories = new HashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                int hist = kv.key.indexOf(HISTORY);
                int sep = kv.key.indexOf(SEPARATOR);
                if (hist >= 0) {
                    SeriesHistory h = SeriesHistory.of(kv.value);
                    // vectors of another width were made by another model: that series' history starts afresh
                    if (features != null && (h.rows.isEmpty() || h.rows.peekFirst().length == features.names().size())) {
                        histories.computeIfAbsent(kv.key.substring(0, hist), k -> new ArrayList<>()).add(h);
                    }
                } else if (sep < 0) {
                    hosts.put(kv.key, HostWindows.of(kv.value));
                } else {
                    String host = kv.key.substring(0, sep);
                    long seq = Long.parseLong(kv.key.substring(sep + 1));
                    events.computeIfAbsent(host, k -> new ArrayList<>()).add(event(seq, kv.value));
                }
            }
        }
        histories.forEach((host, list) -> {
            HostWindows w = hosts.get(host);
            if (w != null) {
                list.forEach(h -> w.series.put(h.name(), h));
            }
        });
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
        if (record.value() instanceof Tick t) {
            clocks.signal(host, t, record.timestamp(), now);
            return;
        }
        long hostTime = clocks.observe(host, record.timestamp(), now, false);
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
        // only a model that judges feature vectors pays for the fields
        Fields fields = features == null ? null : Fields.of(r, host, features.fields());
        store.put(eventKey(host, seq), eventBytes(time, line, fields));
        w.events.addLast(new Event(seq, e.templateId(), time, fields));
        w.lastSeenMillis = now;
        w.lastTime = Math.max(w.lastTime, hostTime);
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
                if (features != null) {
                    batch.addAll(featureWindows(w, start, in, all ? "idle" : "time", now));
                } else {
                    batch.add(timeWindow(w, start, in, all ? "idle" : "time", now));
                }
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
        return group(w, id, in, reason, now, null);
    }

    private ClosedGroup group(HostWindows w, String id, List<Event> in, String reason, long now,
                              io.anomalog.core.features.FeatureRows rows) {
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
                    lines.add(SessionState.Line.fromBytes(lineBytes(v)));
                }
            }
            return lines;
        }, rows);
    }

    /**
     * A closing window of a host as one window per series, with its feature vectors: the entries through the
     * window feature extractor, every series of the host first given its windows since its last one (empty ones,
     * as batch gives every series a window for every step).
     */
    private List<ClosedGroup> featureWindows(HostWindows w, long start, List<Event> in, String reason, long now) {
        long width = features.schema().widthMillis();
        WindowFeatures.Accumulator acc = WindowFeatures.accumulator(features.width(), features.fields());
        Map<String, List<Event>> bySeries = new HashMap<>();
        for (Event ev : in) {
            Fields f = ev.fields;
            String service = f.service() == null ? "-" : f.service();
            String host = f.host() == null ? w.host : f.host();
            acc.add(service, host, ev.time, WindowFeatures.LEVELS.get(f.level()), f.status(), f.latency(), f.user(),
                    f.address(), f.operation(), ev.key);
            String name = service + "@" + host;
            bySeries.computeIfAbsent(name, k -> new ArrayList<>()).add(ev);
            w.series.computeIfAbsent(name, k -> new SeriesHistory(service, host));
        }
        Map<String, WindowFeatures.Window> windows = new HashMap<>();
        for (WindowFeatures.Series x : acc.finish()) {
            windows.put(x.name(), x.windows().get(x.windows().size() - 1));
        }
        List<ClosedGroup> out = new ArrayList<>();
        for (SeriesHistory h : w.series.values()) {
            if (h.lastStart >= start) {
                continue;
            }
            long from = h.lastStart == Long.MIN_VALUE ? start : h.lastStart + width;
            for (long t = from; t < start; t += width) {
                out.add(featureWindow(w, h, WindowFeatures.Window.empty(t), List.of(), reason, now));
            }
            WindowFeatures.Window own = windows.get(h.name());
            out.add(featureWindow(w, h, own != null ? own : WindowFeatures.Window.empty(start),
                    bySeries.getOrDefault(h.name(), List.of()), reason, now));
            h.lastStart = start;
            store.put(w.host + HISTORY + h.name(), h.toBytes());
        }
        return out;
    }

    private ClosedGroup featureWindow(HostWindows w, SeriesHistory h, WindowFeatures.Window win, List<Event> in,
                                      String reason, long now) {
        h.rows.addLast(features.row(win, h.name()));
        while (h.rows.size() > features.history()) {
            h.rows.removeFirst();
        }
        return group(w, WindowFeatures.windowId(h.service, h.host, win.start()), in, reason, now,
                features.rows(h.rows.toArray(new double[0][]), h.name()));
    }

    /** A stored event: version, time, line length, line, then its fields when features are on. */
    private static byte[] eventBytes(long time, byte[] line, Fields fields) {
        if (fields == null) {
            return ByteBuffer.allocate(EVENT_HEAD + line.length).put(FORMAT_VERSION).putLong(time).putInt(line.length)
                    .put(line).array();
        }
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(EVENT_HEAD + line.length + 48);
            java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
            out.writeByte(FORMAT_VERSION);
            out.writeLong(time);
            out.writeInt(line.length);
            out.write(line);
            fields.write(out);
            return bytes.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] lineBytes(byte[] v) {
        int n = ByteBuffer.wrap(v, 9, 4).getInt();
        return java.util.Arrays.copyOfRange(v, EVENT_HEAD, EVENT_HEAD + n);
    }

    private Event event(long seq, byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        checkVersion(b.get());
        long time = b.getLong();
        int n = b.getInt();
        SessionState.Line l = SessionState.Line.fromBytes(java.util.Arrays.copyOfRange(v, EVENT_HEAD, EVENT_HEAD + n));
        Fields fields = null;
        if (EVENT_HEAD + n < v.length) {
            try {
                fields = Fields.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(v, EVENT_HEAD + n,
                        v.length - EVENT_HEAD - n)));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("unreadable event in the window store: " + e.getMessage(), e);
            }
        }
        if (features != null && fields == null) {
            throw new IllegalStateException("the open windows were stored for a model of log keys, without the fields"
                    + " window feature vectors read: reset the stream application (use a new --application-id)");
        }
        // a key model started on a store of feature events keeps what it reads, keys and times
        return new Event(seq, l.key(), time, features == null ? null : fields);
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
