package io.anomalog.stream.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import io.anomalog.core.io.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParsedEventRecordSerializerTest {

    /** The bean serialiser Jackson would use without the record's own one. */
    private static final ObjectMapper BEAN = Json.MAPPER.copy().setAnnotationIntrospector(
            new JacksonAnnotationIntrospector() {
                @Override
                public Object findSerializer(Annotated a) {
                    return a.getRawType() == ParsedEventRecord.class ? null : super.findSerializer(a);
                }
            });

    @Test
    void theStreamingWriterGivesTheBeanSerialisersBytesForFullEmptyAndAwkwardRecords() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("latency_ms", 12.5);
        fields.put("status", 503L);
        fields.put("user", Map.of("name", "ada"));
        fields.put("tags", List.of("a", 1, true));
        fields.put("missing", null);
        List<String> withNull = new ArrayList<>(Arrays.asList("x", null, "q\"uote\\ \u00e9 \u2028"));
        List<ParsedEventRecord> records = List.of(
                new ParsedEventRecord("db-1", "logs.db-1", 2, 41L, "/var/log/app.log", 1234L,
                        "2024-03-07 00:00:01,674", "2024-03-07T00:00:01.674Z", "WARN", "dfs.DataNode", 7,
                        "Received block <*> of size <*>", List.of("blk_1", "67108864"), fields,
                        "Received block blk_1 of size 67108864"),
                new ParsedEventRecord("h", "logs.h", 0, 0L, null, -1L, null, null, null, null, 0, "", List.of(),
                        null, ""),
                new ParsedEventRecord("h\tost", "t", -1, Long.MAX_VALUE, "s", Long.MIN_VALUE, "ts", null, "INFO",
                        null, Integer.MAX_VALUE, "line\nbreak", withNull, Map.of(), null),
                new ParsedEventRecord(null, null, 0, 0L, null, 0L, null, null, null, null, 0, null, null, null,
                        null));
        for (ParsedEventRecord r : records) {
            String bean = BEAN.writeValueAsString(r);
            byte[] streamed = JsonSerde.of(ParsedEventRecord.class).serializer().serialize("logs.parsed", r);
            assertEquals(bean, new String(streamed, StandardCharsets.UTF_8));
        }
        String full = Json.MAPPER.writeValueAsString(records.get(0));
        assertTrue(full.startsWith("{\"host\":\"db-1\",\"topic\":\"logs.db-1\",\"partition\":2,"), full);
        assertFalse(Json.MAPPER.writeValueAsString(records.get(1)).contains("source"));
    }

    @Test
    void aStreamedRecordReadsBackAsTheSameRecord() throws Exception {
        ParsedEventRecord r = new ParsedEventRecord("db-1", "logs.db-1", 1, 9L, null, 88L, "ts", "2024-03-07T00:00:00Z",
                "INFO", "db", 3, "took <*> ms", List.of("2.4"), Map.of("rows", "32"), "took 2.4 ms");
        JsonSerde<ParsedEventRecord> serde = JsonSerde.of(ParsedEventRecord.class);
        assertEquals(r, serde.deserializer().deserialize("logs.parsed", serde.serializer().serialize("logs.parsed", r)));
    }
}
