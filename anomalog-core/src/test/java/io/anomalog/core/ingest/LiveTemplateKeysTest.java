package io.anomalog.core.ingest;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

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
}
