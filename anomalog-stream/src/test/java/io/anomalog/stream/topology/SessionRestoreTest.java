package io.anomalog.stream.topology;

import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.stream.testing.KeyRuleDetector;
import io.anomalog.stream.testing.TestPipelines;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A stage that starts on a store another one filled (a restart, a task moved here) goes on where it stopped. */
class SessionRestoreTest {

    private final IngestPipeline pipeline = TestPipelines.detecting("write <*> size <*>");
    private final GroupingSpec.Sessions spec = GroupingSpec.Sessions.byPattern("blk_-?\\d+").withMaxEvents(50);
    private final DetectorTopology.Settings settings = DetectorTopology.builder(pipeline,
            new KeyRuleDetector(Set.of(99))).grouping(spec);
    private final KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(DetectorTopology.GROUP_STORE), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled().build();

    private SessionStage start(MockProcessorContext<String, Object> context, long now) {
        context.setCurrentSystemTimeMs(now);
        context.setRecordMetadata("logs.h1", 0, 0);
        SessionStage stage = new SessionStage(settings, spec);
        stage.init(context);
        return stage;
    }

    private void send(SessionStage stage, String block, int from, int to) {
        for (int i = from; i < to; i++) {
            stage.process(new Record<>("h1", pipeline.line("write " + block + " size " + i, "logs.h1", i, -1), 0L));
        }
    }

    /** The texts of a session's lines as the store holds them, chunk by chunk. */
    private List<String> stored(String block) {
        TreeMap<Integer, byte[]> chunks = new TreeMap<>();
        String head = SessionState.headKey("h1", block);
        try (var it = store.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                if (SessionState.isChunkKey(kv.key) && SessionState.headOf(kv.key).equals(head)) {
                    chunks.put(SessionState.chunkOf(kv.key), kv.value);
                }
            }
        }
        List<String> texts = new ArrayList<>();
        chunks.values().forEach(c -> SessionState.decodeChunk(c, c.length).forEach(l -> texts.add(l.text())));
        return texts;
    }

    private static List<String> expected(String block, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("write " + block + " size " + i);
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRestoredSessionKeepsItsLineCountAndLinesAcrossChunksAndClosesAtTheSameLine() {
        MockProcessorContext<String, Object> first = new MockProcessorContext<>();
        store.init(first.getStateStoreContext(), store);
        first.addStateStore(store);
        SessionStage before = start(first, 1_000);
        // 40 lines: one full chunk and part of the next; 3 lines: part of the first; 32: exactly one full chunk
        send(before, "blk_1", 0, 40);
        send(before, "blk_2", 0, 3);
        send(before, "blk_3", 0, 32);
        before.close();

        MockProcessorContext<String, Object> second = new MockProcessorContext<>();
        second.addStateStore(store);
        SessionStage after = start(second, 2_000);
        send(after, "blk_1", 40, 49);
        send(after, "blk_2", 3, 49);
        send(after, "blk_3", 32, 49);
        assertEquals(expected("blk_1", 49), stored("blk_1"));
        assertEquals(expected("blk_2", 49), stored("blk_2"));
        assertEquals(expected("blk_3", 49), stored("blk_3"));
        assertEquals(0, second.forwarded().size(), "no session reached its cap of 50 yet");

        send(after, "blk_1", 49, 50);
        send(after, "blk_2", 49, 50);
        send(after, "blk_3", 49, 50);
        List<ClosedGroup> closed = new ArrayList<>();
        second.forwarded().forEach(f -> closed.addAll((List<ClosedGroup>) f.record().value()));
        assertEquals(List.of("blk_1", "blk_2", "blk_3"), closed.stream().map(ClosedGroup::id).toList());
        for (ClosedGroup c : closed) {
            assertEquals("size", c.closeReason());
            assertEquals(50, c.keys().length, c.id() + ": every key, those from before the restart too");
            assertEquals(1_000, c.firstSeenMillis(), c.id() + " first seen before the restart");
        }
        try (var it = store.all()) {
            assertEquals(false, it.hasNext(), "closed sessions leave nothing in the store");
        }
    }
}
