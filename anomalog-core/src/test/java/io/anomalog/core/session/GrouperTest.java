package io.anomalog.core.session;

import io.anomalog.core.log.LogRecord;
import io.anomalog.core.log.TimeReader;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GrouperTest {

    static ParsedEvent event(long line, String time, String content, int key) {
        LogRecord r = new LogRecord("test.log", line, -1, null, time, TimeReader.pattern("yyMMdd HHmmss"), null, null,
                Map.of("Node", "n" + (line % 2)), content, null, true, false);
        return new ParsedEvent(r, key, "t" + key, List.of());
    }

    @Test
    void sessionsByBlockIdKeepOrderAndALineWithTwoIdsJoinsBoth() {
        List<ParsedEvent> events = List.of(
                event(1, null, "Receiving block blk_1 src", 5),
                event(2, null, "Receiving block blk_-2 src", 5),
                event(3, null, "no block here", 7),
                event(4, null, "Deleting blk_1 and blk_-2", 21),
                event(5, null, "PacketResponder blk_1 terminating blk_1", 11));
        Grouper.Grouping g = Grouper.bySession().idPattern("blk_-?\\d+")
                .labels(id -> id.equals("blk_-2") ? Label.ANOMALOUS : Label.NORMAL).build().group(events);
        assertEquals(2, g.sequences().size());
        Sequence b1 = g.sequences().get(0);
        assertEquals("blk_1", b1.id());
        assertArrayEquals(new int[]{5, 21, 11}, b1.keys());
        assertEquals(Label.NORMAL, b1.label());
        assertEquals(4, b1.events().get(1).record().lineNumber());
        Sequence b2 = g.sequences().get(1);
        assertArrayEquals(new int[]{5, 21}, b2.keys());
        assertEquals(Label.ANOMALOUS, b2.label());
        assertEquals(1, g.rejected().size());
        assertEquals(3, g.rejected().get(0).lineNumber());
    }

    @Test
    void sessionsByHeaderField() {
        List<ParsedEvent> events = List.of(event(1, null, "a", 1), event(2, null, "b", 2), event(3, null, "c", 3));
        Grouper.Grouping g = Grouper.bySession().idField("Node").build().group(events);
        assertEquals(List.of("n1", "n0"), g.sequences().stream().map(Sequence::id).toList());
        assertArrayEquals(new int[]{1, 3}, g.sequences().get(0).keys());
    }

    @Test
    void slidingWindowsOfSizeAndStep() {
        List<ParsedEvent> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(event(i + 1, null, "e", i));
        }
        List<Sequence> w = Grouper.slidingWindow().size(3).step(2).build().group(events).sequences();
        assertEquals(3, w.size());
        assertArrayEquals(new int[]{0, 1, 2}, w.get(0).keys());
        assertArrayEquals(new int[]{2, 3, 4}, w.get(1).keys());
        assertArrayEquals(new int[]{4, 5, 6}, w.get(2).keys());
        List<Sequence> fixed = Grouper.slidingWindow().size(3).step(3).build().group(events).sequences();
        assertEquals(3, fixed.size());
        assertArrayEquals(new int[]{6}, fixed.get(2).keys());
    }

    @Test
    void timeWindowsSortByTimeSkipEmptyStretchesAndRejectUnreadableTimes() {
        List<ParsedEvent> events = List.of(
                event(1, "081109 203500", "a", 1),
                event(2, "081109 203530", "b", 2),
                event(3, "081109 203510", "c", 3),
                event(4, "garbage", "d", 4),
                event(5, "081109 204005", "e", 5));
        Grouper.Grouping g = Grouper.timeWindow().size(Duration.ofMinutes(1)).timestampFormat("yyMMdd HHmmss")
                .build().group(events);
        assertEquals(2, g.sequences().size());
        assertArrayEquals(new int[]{1, 3, 2}, g.sequences().get(0).keys());
        assertEquals("2008-11-09T20:35:00Z", g.sequences().get(0).id());
        assertArrayEquals(new int[]{5}, g.sequences().get(1).keys());
        assertEquals(1, g.rejected().size());

        List<Sequence> sliding = Grouper.timeWindow().size(Duration.ofSeconds(40)).step(Duration.ofSeconds(20))
                .timestampFormat("yyMMdd HHmmss").build().group(events).sequences();
        // windows starting 203440 [a c], 203500 [a c b], 203520 [b], then 203940 and 204000 [e]
        assertEquals(List.of(2, 3, 1, 1, 1), sliding.stream().map(Sequence::length).toList());
    }

    @Test
    void badSettingsAreReported() {
        assertThrows(AnomalogException.class, () -> Grouper.bySession().idPattern("blk_(").build());
        assertThrows(AnomalogException.class, () -> Grouper.bySession().build());
        assertThrows(AnomalogException.class, () -> Grouper.slidingWindow().size(0).build());
        assertThrows(AnomalogException.class, () -> Grouper.timeWindow().size(Duration.ZERO).build());
    }
}
