package io.anomalog.stream.bench;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.MinerSettings;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.stream.topology.DetectorTopology;
import io.anomalog.stream.topology.SessionStages;
import io.anomalog.stream.topology.SessionState;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What appending one line to an open session costs the sessions stage, for sessions of growing length: the
 * stage alone (a mock context and an in-memory store, so no broker, cache or disk), fed pre-parsed events, one
 * session at a time, each closed at its size cap. A cost per line that stays flat as sessions grow means an
 * append costs in proportion to the line, not to the session.
 */
public final class SessionAppendBenchmark {

    /** One session length: lines appended, seconds, nanoseconds per line. */
    public record Row(int sessionLines, long lines, double seconds, double nanosPerLine) {
    }

    /**
     * A flood of distinct session ids, one line each: how many stayed open, how many were closed early at the cap,
     * and the heap in use (after a collection) at the end, against the number of ids.
     */
    public record Flood(long ids, int cap, long open, long evicted, double heapMiB) {
    }

    private SessionAppendBenchmark() {
    }

    public static List<Row> run(int[] lengths, long linesPerLength, int repeats) {
        List<Row> rows = new ArrayList<>();
        for (int length : lengths) {
            Row best = null;
            for (int r = 0; r < repeats + 1; r++) {       // the first pass warms the code up
                Row row = once(length, linesPerLength);
                if (r > 0 && (best == null || row.nanosPerLine() < best.nanosPerLine())) {
                    best = row;
                }
            }
            rows.add(best);
        }
        return rows;
    }

    /** Sends {@code ids} sessions of one line each through a stage with the given open-session cap. */
    public static List<Flood> flood(long[] ids, int cap) {
        List<Flood> out = new ArrayList<>();
        for (long n : ids) {
            IngestPipeline pipeline = pipeline();
            GroupingSpec.Sessions spec = GroupingSpec.Sessions.byPattern("blk_-?\\d+");
            DetectorTopology.Settings settings = DetectorTopology.builder(pipeline, NO_DETECTOR).grouping(spec)
                    .maxOpenSessions(cap);
            Processor<String, Object, String, Object> stage = SessionStages.sessions(settings, spec);
            MockProcessorContext<String, Object> context = context(stage);
            ParsedEvent one = pipeline.line("write blk_1 size 1000", "bench", 0, -1);
            for (long i = 0; i < n; i++) {
                // the same event under another id each time: only the sessions stage's state grows
                ParsedEvent e = new ParsedEvent(io.anomalog.core.log.LogRecord.ofContent("write blk_" + i + " size 1"),
                        one.templateId(), one.template(), one.parameters());
                stage.process(new Record<>("h1", e, 0L));
                if (i % 10_000 == 0) {
                    context.resetForwards();
                }
            }
            context.resetForwards();
            long open = 0;
            KeyValueStore<String, byte[]> kv = context.getStateStore(DetectorTopology.GROUP_STORE);
            try (var it = kv.all()) {
                while (it.hasNext()) {
                    open += SessionState.isChunkKey(it.next().key) ? 0 : 1;
                }
            }
            System.gc();
            Runtime rt = Runtime.getRuntime();
            double heap = (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
            out.add(new Flood(n, cap, open, settings.metrics().evictedSessions.sum(), heap));
            stage.close();
        }
        return out;
    }

    private static IngestPipeline pipeline() {
        TemplateStore store = new TemplateStore();
        store.create("write <*> size <*>");
        return IngestPipeline.builder(LogFormats.raw()).store(store).mode(MinerSettings.Mode.DETECT).build();
    }

    private static MockProcessorContext<String, Object> context(Processor<String, Object, String, Object> stage) {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, byte[]> kv = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(DetectorTopology.GROUP_STORE), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled().build();
        kv.init(context.getStateStoreContext(), kv);
        context.addStateStore(kv);
        context.setCurrentSystemTimeMs(System.currentTimeMillis());
        stage.init(context);
        context.setRecordMetadata("logs.h1", 0, 0);
        return context;
    }

    private static Row once(int length, long totalLines) {
        IngestPipeline pipeline = pipeline();
        GroupingSpec.Sessions spec = GroupingSpec.Sessions.byPattern("blk_-?\\d+").withMaxEvents(length);
        DetectorTopology.Settings settings = DetectorTopology.builder(pipeline, NO_DETECTOR).grouping(spec);
        Processor<String, Object, String, Object> stage = SessionStages.sessions(settings, spec);
        MockProcessorContext<String, Object> context = context(stage);
        // one session's lines, parsed once: only the appends are timed
        List<ParsedEvent> lines = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            lines.add(pipeline.line("write blk_7 size " + (1000 + i), "bench", i, -1));
        }
        long sessions = Math.max(1, totalLines / length);
        long start = System.nanoTime();
        for (long s = 0; s < sessions; s++) {
            for (ParsedEvent e : lines) {
                stage.process(new Record<>("h1", e, 0L));
            }
            context.resetForwards();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long n = sessions * length;
        stage.close();
        return new Row(length, n, secs, secs * 1e9 / n);
    }

    public static String markdown(List<Row> rows, List<Flood> floods, String command) {
        StringBuilder md = new StringBuilder("# Appending a line to an open session\n\n");
        md.append("Written by `").append(command).append("`. The sessions stage of the detector alone (mock context, ")
                .append("in-memory store: no broker, record cache or disk), fed pre-parsed HDFS-like lines of one ")
                .append("session at a time, each session closed at its size cap. Best of the measured passes per ")
                .append("length, after one unmeasured pass. A flat column means an append costs in proportion to the ")
                .append("line, not to the session.\n\n");
        md.append("| lines per session | lines appended | seconds | ns per line |\n|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(java.util.Locale.ROOT, "| %,d | %,d | %.3f | %,.0f |%n", r.sessionLines(), r.lines(),
                    r.seconds(), r.nanosPerLine()));
        }
        md.append("\n## A flood of distinct session ids\n\nSessions of one line each, every one with a new id, ")
                .append("through the same stage with its open-session cap (`DetectorTopology.Settings.maxOpenSessions`):")
                .append(" beyond the cap the session quiet for longest is closed early (close reason `evicted`), so ")
                .append("the state and the heap stay bounded however many ids come. Heap in use after a collection at ")
                .append("the end (it also holds the benchmark itself).\n\n");
        md.append("| distinct ids | cap | open at the end | closed at the cap | heap in use, MiB |\n|---:|---:|---:|---:|---:|\n");
        for (Flood f : floods) {
            md.append(String.format(java.util.Locale.ROOT, "| %,d | %,d | %,d | %,d | %.0f |%n", f.ids(), f.cap(),
                    f.open(), f.evicted(), f.heapMiB()));
        }
        return md.toString();
    }

    /** The stage never scores (the scoring stage does); the topology settings only read its vocabulary. */
    private static final Detector NO_DETECTOR = new Detector() {
        @Override
        public String method() {
            return "none";
        }

        @Override
        public Verdict score(Sequence sequence) {
            return Verdict.of(sequence.id(), false, 0);
        }

        @Override
        public ModelManifest manifest() {
            return new ModelManifest(ModelManifest.FORMAT_VERSION, "none", 1, "bench", "bench", Map.of(), List.of(1),
                    null, Map.of(), Map.of(), null);
        }

        @Override
        public void save(Path modelDir) {
            throw new UnsupportedOperationException("a benchmark stand-in is not saved");
        }
    };
}
