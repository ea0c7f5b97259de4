package io.anomalog.stream.topology;

import io.anomalog.core.template.TemplateStore;
import io.anomalog.stream.testing.KeyRuleDetector;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveTemplateKeysTest {

    @Test
    void storeIdsStayAndNewTemplatesGetKeysFromTheirText() {
        LiveTemplateKeys a = new LiveTemplateKeys(10);
        LiveTemplateKeys b = new LiveTemplateKeys(10);
        assertEquals(7, a.keyOf(7, "open <*>"));
        // the same new template on two instances, under different internal ids, has one key
        int k = a.keyOf(10, "disk <*> failing");
        assertEquals(k, b.keyOf(15, "disk <*> failing"));
        assertTrue(LiveTemplateKeys.isLive(k) && !LiveTemplateKeys.isLive(7));
        // the key stays with the template id even when its text is generalised later
        assertEquals(k, a.keyOf(10, "disk <*> <*>"));
        assertNotEquals(k, a.keyOf(11, "disk <*> repaired"));
    }

    @Test
    void aHashCollisionMovesTheLaterTextToTheNextKey() {
        // "Aa" and "BB" share String.hashCode, not CRC-32C: find two texts whose keys collide by brute force
        LiveTemplateKeys probe = new LiveTemplateKeys(0);
        Map<Integer, String> seen = new HashMap<>();
        String first = null;
        String second = null;
        for (int i = 0; first == null; i++) {
            String text = "t" + i;
            int key = new LiveTemplateKeys(0).keyOf(0, text);
            String other = seen.putIfAbsent(key, text);
            if (other != null) {
                first = other;
                second = text;
            }
        }
        int k1 = probe.keyOf(1, first);
        int k2 = probe.keyOf(2, second);
        assertEquals(k1 + 1, k2, "the later text takes the next key");
        assertEquals(k1, probe.keyOf(3, first), "the same text keeps its key under another id");
    }

    @Test
    void twoDetectorInstancesPublishOneNewTemplateUnderOneKey() {
        List<String> k1 = newTemplateKeys("app-1");
        List<String> k2 = newTemplateKeys("app-2");
        assertEquals(1, k1.size());
        assertEquals(k1, k2);
        assertTrue(LiveTemplateKeys.isLive(Integer.parseInt(k1.get(0))));
    }

    /** One instance with its own copy of the model's store reads a line of a template the store lacks. */
    private static List<String> newTemplateKeys(String app) {
        TemplateStore store = new TemplateStore();
        store.create("open <*>");
        store.create("write <*> size <*>");
        // the instances learned different things before: their next internal ids differ
        if (app.endsWith("2")) {
            store.create("close <*>");
        }
        KeyRuleDetector detector = new KeyRuleDetector(Set.of(1, 2));
        try (StreamModel model = StreamModel.of(detector, store)) {
            Properties p = new Properties();
            p.put("application.id", app);
            p.put("bootstrap.servers", "unused:9092");
            try (TopologyTestDriver driver = new TopologyTestDriver(DetectorTopology.builder(model)
                    .sessionIds("blk_-?\\d+").build(), p)) {
                TestInputTopic<String, byte[]> in = driver.createInputTopic("logs.h1", Serdes.String().serializer(),
                        Serdes.ByteArray().serializer());
                TestOutputTopic<String, byte[]> templates = driver.createOutputTopic("anomalog.templates",
                        Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
                in.pipeInput("open blk_1".getBytes(StandardCharsets.UTF_8));
                in.pipeInput("disk of blk_1 failing".getBytes(StandardCharsets.UTF_8));
                return templates.readKeyValuesToList().stream()
                        .filter(kv -> new String(kv.value, StandardCharsets.UTF_8).contains("failing"))
                        .map(kv -> kv.key).toList();
            }
        }
    }
}
