package io.anomalog.ml.attgru;

import io.anomalog.core.log.LogRecord;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventAttributesTest {

    static ParsedEvent event(String level, String... parameters) {
        LogRecord record = new LogRecord("test", 1, -1, null, null, null, level, null, Map.of("Level", level), "line",
                "line", true, false);
        return new ParsedEvent(record, 1, "template", List.of(parameters));
    }

    static Sequence session(ParsedEvent... events) {
        return new Sequence("s", new int[events.length], Label.NORMAL, List.of(events));
    }

    @Test
    void fieldsMatchWithoutCaseParametersByPositionAndRareValuesBecomeUnknown() {
        List<Sequence> training = new ArrayList<>();
        training.add(session(event("INFO", "a"), event("INFO", "a"), event("WARN", "b"), event("INFO", "c")));
        EventAttributes attributes = EventAttributes.fit(EventAttributes.parseNames("LEVEL, param0, param5, node"),
                training, 2);
        // param5 and node: no training event carries them, so they are dropped
        assertEquals(List.of("level", "param0"), attributes.names());
        assertEquals(List.of(3, 3), attributes.rows());
        int[] into = new int[3];
        attributes.indices(event("INFO", "a"), into, 1);
        assertArrayEquals(new int[]{0, 1, 1}, into, "most frequent values first");
        attributes.indices(event("WARN", "c"), into, 1);
        assertArrayEquals(new int[]{0, 2, 0}, into, "c is beyond the two kept values of param0");
        attributes.indices(event("ERROR"), into, 1);
        assertArrayEquals(new int[]{0, 0, 0}, into, "an unseen level and a missing parameter");

        EventAttributes reloaded = EventAttributes.fromMap(attributes.toMap());
        reloaded.indices(event("WARN", "b"), into, 1);
        assertArrayEquals(new int[]{0, 2, 2}, into);
    }

    @Test
    void noneMeansKeysOnlyAndAMalformedNameIsRefused() {
        assertEquals(List.of(), EventAttributes.parseNames("none"));
        assertThrows(AnomalogException.class, () -> EventAttributes.parseNames("level,<bad>"));
    }

    @Test
    void levelComponentAndHostAreTheRecordsOwnWhenItsFormatNamesThoseFieldsOtherwise() {
        // a JSON line keeps its fields under their own names (log.level, ...); the record knows which is the level
        LogRecord record = new LogRecord("test", 1, -1, "node-7", null, null, "ERROR", "kernel",
                Map.of("log.level", "ERROR", "service.name", "kernel", "Node", "n1"), "line", "line", true, false);
        ParsedEvent e = new ParsedEvent(record, 1, "template", List.of());
        assertEquals("ERROR", EventAttributes.value(e, "level"));
        assertEquals("kernel", EventAttributes.value(e, "component"));
        assertEquals("node-7", EventAttributes.value(e, "host"));
        assertEquals("n1", EventAttributes.value(e, "node"), "a field by name, whatever its case");
        assertEquals("ERROR", EventAttributes.value(e, "log.level"));
        assertEquals(null, EventAttributes.value(e, "thread"));
    }
}
