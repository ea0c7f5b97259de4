package io.anomalog.stream.topology;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One stage of the detector topology alone in a {@link TopologyTestDriver}: a source topic whose records the test
 * writes as text (turned into the stage's input type by a function), the stage, and in place of the next stages
 * processors that keep what they receive; the sinks at topic boundaries are the real ones, with their serdes.
 */
final class StageHarness implements AutoCloseable {

    static final String IN = "logs.h1";

    private final Map<String, List<Object>> received = new ConcurrentHashMap<>();
    final TopologyTestDriver driver;

    /**
     * @param input turns a test record's text into what the stage reads
     * @param stage the stage under test
     * @param store whether the stage needs the grouping store
     */
    <I, KO, VO> StageHarness(Function<String, I> input, ProcessorSupplier<String, I, KO, VO> stage, boolean store) {
        this(Serdes.String().deserializer(), (topic, bytes) -> bytes == null ? null
                : input.apply(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)), stage, store);
    }

    /** A stage that reads the raw bytes of {@code logs.<host>} records (the decode stage). */
    <K, I, KO, VO> StageHarness(Deserializer<K> keys, Deserializer<I> in, ProcessorSupplier<K, I, KO, VO> stage,
                                boolean store) {
        Topology t = new Topology();
        t.addSource("in", keys, in, IN);
        t.addProcessor("stage", stage, "in");
        for (String next : List.of(DetectorTopology.PARSE, DetectorTopology.GROUP, DetectorTopology.SCORE)) {
            received.put(next, new ArrayList<>());
            t.addProcessor(next, () -> new Keep(received.get(next)), "stage");
        }
        if (store) {
            t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DetectorTopology.GROUP_STORE),
                    Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), "stage");
        }
        t.addSink(DetectorTopology.DEAD_LETTER_SINK, "anomalog.deadletter", Serdes.String().serializer(),
                JsonSerde.of(io.anomalog.core.io.DeadLetter.class).serializer(), "stage");
        t.addSink(DetectorTopology.TEMPLATES_SINK, "anomalog.templates", Serdes.String().serializer(),
                Serdes.String().serializer(), "stage");
        t.addSink(DetectorTopology.PARSED_SINK, "logs.parsed", Serdes.String().serializer(),
                JsonSerde.of(ParsedEventRecord.class).serializer(), "stage");
        t.addSink(DetectorTopology.ANOMALIES_SINK, "anomalies", Serdes.String().serializer(),
                JsonSerde.of(AnomalyRecord.class).serializer(), "stage");
        Properties p = new Properties();
        p.put("application.id", "stage-test");
        p.put("bootstrap.servers", "unused:9092");
        driver = new TopologyTestDriver(t, p);
    }

    /** Writes one record (its text) to the stage, keyed by host h1. */
    void send(String text) {
        driver.createInputTopic(IN, Serdes.String().serializer(), Serdes.String().serializer()).pipeInput("h1", text);
    }

    /** Writes one record (its text) with a record timestamp, as a shipper stamps what it reads. */
    void send(String text, long timestamp) {
        driver.createInputTopic(IN, Serdes.String().serializer(), Serdes.String().serializer())
                .pipeInput("h1", text, timestamp);
    }

    /** Writes one record's bytes (null for an empty record), as a shipper or another producer would. */
    void sendBytes(byte[] value) {
        driver.createInputTopic(IN, Serdes.String().serializer(), Serdes.ByteArray().serializer()).pipeInput("h1", value);
    }

    /** What the next stage got (GROUP or SCORE), in order. */
    @SuppressWarnings("unchecked")
    <T> List<T> received(String next) {
        return (List<T>) received.get(next);
    }

    <T> List<T> read(String topic, Class<T> type) {
        return driver.createOutputTopic(topic, Serdes.String().deserializer(), JsonSerde.of(type).deserializer())
                .readValuesToList();
    }

    /** The grouping stage's store, to check what it keeps. */
    org.apache.kafka.streams.state.KeyValueStore<String, byte[]> store() {
        return driver.getKeyValueStore(DetectorTopology.GROUP_STORE);
    }

    List<String> readText(String topic) {
        return driver.createOutputTopic(topic, Serdes.String().deserializer(), Serdes.String().deserializer())
                .readValuesToList();
    }

    @Override
    public void close() {
        driver.close();
    }

    /** Keeps what it receives. */
    private static final class Keep implements Processor<String, Object, Void, Void> {
        private final List<Object> into;

        Keep(List<Object> into) {
            this.into = into;
        }

        @Override
        public void process(Record<String, Object> record) {
            Object v = record.value();
            if (v instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof ClosedGroup) {
                // read the lines now, as the scoring stage would: the grouping stage removes them afterwards
                List<ClosedGroup> kept = new ArrayList<>();
                for (Object o : list) {
                    ClosedGroup g = (ClosedGroup) o;
                    List<SessionState.Line> lines = g.lines().get();
                    kept.add(new ClosedGroup(g.host(), g.id(), g.keys(), g.closeReason(), g.firstSeenMillis(),
                            g.closedAtMillis(), () -> lines));
                }
                v = kept;
            }
            into.add(v);
        }
    }
}
