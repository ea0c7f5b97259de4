package io.anomalog.stream.ship;

import io.anomalog.core.io.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FilebeatEventTest {

    @Test
    void readsAnEventAsFilebeatPublishesIt() throws Exception {
        String filebeat = """
                {"@timestamp":"2024-05-01T10:00:00.123Z","@metadata":{"beat":"filebeat","type":"_doc","version":"8.13.0"},
                 "log":{"offset":8812,"file":{"path":"/var/log/hadoop/hdfs.log","device_id":"64768","inode":"1311"}},
                 "message":"081109 203518 143 INFO dfs.DataNode$DataXceiver: Receiving block blk_1",
                 "input":{"type":"filestream"},"ecs":{"version":"8.0.0"},
                 "host":{"name":"hadoop7","hostname":"hadoop7","os":{"family":"debian"}},
                 "agent":{"type":"filebeat","version":"8.13.0"}}""";
        FilebeatEvent e = FilebeatEvent.parse(Json.MAPPER.readTree(filebeat));
        assertEquals("081109 203518 143 INFO dfs.DataNode$DataXceiver: Receiving block blk_1", e.message());
        assertEquals("hadoop7", e.host());
        assertEquals("/var/log/hadoop/hdfs.log", e.path());
        assertEquals(8812, e.offset());
        assertEquals("2024-05-01T10:00:00.123Z", e.timestamp());
    }

    @Test
    void readsFlatDottedKeysAndRoundTripsItsOwnJson() throws Exception {
        FilebeatEvent e = FilebeatEvent.parse(Json.MAPPER.readTree(
                "{\"message\":\"m\",\"host.name\":\"h\",\"log.file.path\":\"/p\",\"log.offset\":5}"));
        assertEquals("h", e.host());
        assertEquals("/p", e.path());
        assertEquals(5, e.offset());
        FilebeatEvent own = FilebeatEvent.of("line", "h2", "/q", 7);
        assertEquals(own, FilebeatEvent.parse(Json.MAPPER.readTree(own.toJson())));
        FilebeatEvent bare = FilebeatEvent.parse(Json.MAPPER.readTree("{\"message\":\"only\"}"));
        assertNull(bare.host());
        assertEquals(-1, bare.offset());
        assertThrows(IllegalArgumentException.class, () -> FilebeatEvent.parse(Json.MAPPER.readTree("{\"message\":3}")));
    }

    @Test
    void theStreamingReaderAgreesWithTheTreeReader() throws Exception {
        String[] events = {
                "{\"log\":{\"offset\":8812,\"file\":{\"path\":\"/a\",\"inode\":\"1\"}},\"message\":\"x blk_1\","
                        + "\"host\":{\"name\":\"h7\",\"os\":{\"family\":\"debian\"}},\"tags\":[1,{\"a\":2}],\"@timestamp\":\"t\"}",
                "{\"message\":\"m\",\"host.name\":\"h\",\"log.file.path\":\"/p\",\"log.offset\":5}",
                "{\"message\":\"m\",\"host.name\":\"flat\",\"host\":{\"name\":\"nested\"},\"log\":{\"offset\":\"12\"}}",
                "{\"message\":\"only\"}",
                new String(FilebeatEvent.of("line \"quoted\" \u00e9", "h2", "/q", 7).toJson(), java.nio.charset.StandardCharsets.UTF_8)};
        for (String json : events) {
            byte[] b = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(FilebeatEvent.parse(Json.MAPPER.readTree(b)), FilebeatEvent.parse(b), json);
        }
        try (FilebeatEvent.Writer w = new FilebeatEvent.Writer()) {
            FilebeatEvent one = FilebeatEvent.of("first", "t1", "h", "/a", 1);
            FilebeatEvent two = FilebeatEvent.of("second, longer line", "t2", null, null, 2);
            assertEquals(one, FilebeatEvent.parse(w.toJson(one)));
            assertEquals(two, FilebeatEvent.parse(w.toJson(two)), "a reused writer starts each event afresh");
            assertEquals(new String(two.toJson(), java.nio.charset.StandardCharsets.UTF_8),
                    new String(w.toJson(two), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThrows(IllegalArgumentException.class, () -> FilebeatEvent.parse("{\"message\":3}".getBytes()));
        assertThrows(IllegalArgumentException.class, () -> FilebeatEvent.parse("{\"msg\":\"x\"}".getBytes()));
        assertThrows(java.io.IOException.class, () -> FilebeatEvent.parse("{\"message\":\"x\"".getBytes()));
        assertThrows(java.io.IOException.class, () -> FilebeatEvent.parse("{not json".getBytes()));
    }
}
