package io.anomalog.core.data;

import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.session.Label;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeySequenceReaderTest {

    private static KeySequenceReader.Result read(String text) throws Exception {
        return KeySequenceReader.read(new BufferedReader(new StringReader(text)), "f", Label.NORMAL);
    }

    @Test
    void keysOutsideTheTemplateIdRangeBlankLinesAndWordsAreDeadLettersWithTheirLine() throws Exception {
        KeySequenceReader.Result r = read("5 5 22\n5 2147483647 9\n-3 4\n\n7 x 8\nblk_1,\n1000000 1\n");
        assertEquals(2, r.sequences().size());
        assertArrayEquals(new int[]{1_000_000, 1}, r.sequences().get(1).keys());
        List<DeadLetter> d = r.rejected();
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), d.stream().map(DeadLetter::lineNumber).toList());
        assertTrue(d.get(0).reason().equals("log key 2147483647 is outside 0..1073741823"), d.get(0).reason());
        assertTrue(d.get(1).reason().equals("log key -3 is outside 0..1073741823"), d.get(1).reason());
        assertEquals("no log keys on the line", d.get(2).reason());
        assertEquals("not a log key: 'x'", d.get(3).reason());
        assertEquals("no log keys on the line", d.get(4).reason());
    }

    @Test
    void aHugeNumberIsALogKeyOutOfRangeNotAnInternalError() throws Exception {
        KeySequenceReader.Result r = read("99999999999999999999999 1\n");
        assertTrue(r.sequences().isEmpty());
        assertEquals("not a log key: '99999999999999999999999'", r.rejected().get(0).reason());
    }
}
