package io.anomalog.core.log;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonFormatTest {

    @Test
    void everyFieldIsKeptTypedWithNestedObjectsFlattenedToDottedNames() {
        LogRecord r = LogFormats.json("message").parse("{\"@timestamp\":\"2024-05-01T10:00:00.250Z\","
                + "\"level\":\"WARN\",\"service\":{\"name\":\"payments\"},\"host\":\"db-2\",\"message\":\"slow query\","
                + "\"http\":{\"status\":503,\"latency_ms\":812.5,\"retried\":true},\"tags\":[\"a\",2],"
                + "\"user\":null,\"big\":123456789012345678901234567890}", "s", 1, 0);
        assertTrue(r.headerMatched());
        assertEquals("slow query", r.content());
        assertEquals(503L, r.fields().get("http.status"));
        assertEquals(812.5, r.fields().get("http.latency_ms"));
        assertEquals(true, r.fields().get("http.retried"));
        assertEquals(List.of("a", 2L), r.fields().get("tags"));
        assertFalse(r.fields().containsKey("user"), "nulls are absent");
        assertFalse(r.fields().containsKey("message"), "the message is the content, not a field");
        assertTrue(r.fields().get("big") instanceof Double, "an integer too large for a long stays a number");
        assertEquals("WARN", r.level());
        assertEquals("payments", r.component());
        assertEquals("db-2", r.host());
        assertEquals("2024-05-01T10:00:00.250Z", r.time().toString());
        assertEquals("503", r.field("http.status"));
    }

    @Test
    void epochTimesAndDeepNestingAreRead() {
        LogRecord r = LogFormats.json("msg").parse("{\"ts\":1714557600,\"msg\":\"x\",\"a\":{\"b\":{\"c\":{\"d\":1}}}}",
                "s", 1, 0);
        assertEquals("2024-05-01T10:00:00Z", r.time().toString());
        assertEquals(1L, r.fields().get("a.b.c.d"));
    }

    @Test
    void anObjectWithoutItsMessageKeepsItsFieldsButIsMarkedUnmatched() {
        LogRecord r = LogFormats.json("message").parse("{\"level\":\"INFO\",\"n\":3}", "s", 1, 0);
        assertFalse(r.headerMatched());
        assertEquals("{\"level\":\"INFO\",\"n\":3}", r.content());
        assertEquals(3L, r.fields().get("n"));
        assertFalse(LogFormats.json("message").parse("[1,2]", "s", 2, 0).headerMatched());
        assertFalse(LogFormats.json("message").parse("{\"a\":" + "[".repeat(5000) + "}", "s", 3, 0).headerMatched(),
                "nesting too deep for the parser is an unmatched line, not a crash");
        assertFalse(LogFormats.json("message").parse("{\"message\":\"cut\",\"n\":1", "s", 4, 0).headerMatched(),
                "an object cut off before its end is an unmatched line");
    }

    @Test
    void aNameGivenTwiceKeepsItsFirstPlaceAndItsLastValueAndAMessageMustBeAScalar() {
        LogRecord r = LogFormats.json("message").parse("{\"a\":1,\"b\":\"x\",\"a\":2,\"message\":42}", "s", 1, 0);
        assertEquals(List.of("a", "b"), List.copyOf(r.fields().keySet()));
        assertEquals(2L, r.fields().get("a"));
        assertTrue(r.headerMatched());
        assertEquals("42", r.content(), "a number as the message is its decimal text");
        LogRecord list = LogFormats.json("message").parse("{\"message\":[\"x\"],\"n\":1}", "s", 2, 0);
        assertFalse(list.headerMatched(), "an array is no message");
        assertEquals(List.of("x"), list.fields().get("message"), "and it stays a field");
        LogRecord nested = LogFormats.json("event.text").parse("{\"event\":{\"text\":\"disk full\",\"id\":7}}",
                "s", 3, 0);
        assertEquals("disk full", nested.content());
        assertEquals(7L, nested.fields().get("event.id"));
        assertFalse(nested.fields().containsKey("event.text"));
    }

    @Test
    void fieldsAreFoundByANameBuiltAtRunTimeAsByTheLiteral() {
        LogRecord r = LogFormats.json("message").parse("{\"latency_ms\":12.5,\"message\":\"m\"}", "s", 1, 0);
        String built = new StringBuilder("latency").append("_ms").toString();
        assertEquals(12.5, r.fields().get(built));
        assertEquals(null, r.fields().get("latency"));
        assertEquals(r.fields(), java.util.Map.of("latency_ms", 12.5));
    }
}
