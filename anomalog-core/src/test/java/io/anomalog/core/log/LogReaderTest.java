package io.anomalog.core.log;

import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogReaderTest {

    @TempDir
    Path dir;

    private static LogReader reader(byte[] bytes, LogReader.Builder b) {
        return b.open(new ByteArrayInputStream(bytes), "test");
    }

    private static List<LogRecord> all(LogReader r) {
        try (r) {
            return r.stream().toList();
        }
    }

    @Test
    void crlfAndEmptyLinesAndOffsets() {
        byte[] in = "first line\r\n\r\n   \nsecond line\nlast without newline".getBytes(StandardCharsets.US_ASCII);
        LogReader r = reader(in, LogReader.builder());
        List<LogRecord> recs = all(r);
        assertEquals(List.of("first line", "second line", "last without newline"),
                recs.stream().map(LogRecord::content).toList());
        assertEquals(List.of(1L, 4L, 5L), recs.stream().map(LogRecord::lineNumber).toList());
        assertEquals(0, recs.get(0).offset());
        assertEquals(18, recs.get(1).offset());
        assertEquals(5, r.stats().lines());
        assertEquals(2, r.stats().emptyLines());
        assertEquals(3, r.stats().records());
    }

    @Test
    void emptyLinesCanBeKept() {
        List<LogRecord> recs = all(reader("a\n\nb\n".getBytes(StandardCharsets.US_ASCII),
                LogReader.builder().skipEmpty(false)));
        assertEquals(3, recs.size());
        assertEquals("", recs.get(1).content());
    }

    @Test
    void invalidUtf8AndNulBytesAreReplacedAndCounted() {
        byte[] in = {'o', 'k', (byte) 0xC3, (byte) 0xA9, '\n', 'b', 'a', 'd', (byte) 0xFF, (byte) 0xFE, '\n', 'n', 0, 'l', '\n'};
        LogReader r = reader(in, LogReader.builder());
        List<LogRecord> recs = all(r);
        assertEquals("oké", recs.get(0).content());
        assertEquals("bad\uFFFD\uFFFD", recs.get(1).content());
        assertEquals("n\uFFFDl", recs.get(2).content());
        assertEquals(2, r.stats().linesWithInvalidBytes());
    }

    @Test
    void binaryJunkNeverStopsTheReader() {
        byte[] junk = new byte[5000];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 31 + 7);
        }
        LogReader r = reader(junk, LogReader.builder());
        List<LogRecord> recs = all(r);
        assertFalse(recs.isEmpty());
        assertEquals(r.stats().lines() - r.stats().emptyLines(), recs.size());
    }

    @Test
    void aTenMegabyteLineIsCutAtTheCapAndCounted() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("before\n".getBytes(StandardCharsets.US_ASCII));
        byte[] big = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        out.writeBytes(big);
        out.writeBytes("\nafter\n".getBytes(StandardCharsets.US_ASCII));
        LogReader r = reader(out.toByteArray(), LogReader.builder().maxLineBytes(4096));
        List<LogRecord> recs = all(r);
        assertEquals(3, recs.size());
        assertEquals(4096, recs.get(1).content().length());
        assertTrue(recs.get(1).truncated());
        assertFalse(recs.get(0).truncated());
        assertEquals("after", recs.get(2).content());
        assertEquals(3, recs.get(2).lineNumber());
        assertEquals(1, r.stats().truncatedLines());
        assertThrows(AnomalogException.class, () -> LogReader.builder().maxLineBytes(1));
    }

    @Test
    void headerMismatchesAreCountedNotDropped() {
        byte[] in = ("081109 203615 148 INFO dfs.DataNode: PacketResponder 1 terminating\n"
                + "this line has no header\n").getBytes(StandardCharsets.US_ASCII);
        LogReader r = reader(in, LogReader.builder().format(LogFormats.byName("hdfs")));
        List<LogRecord> recs = all(r);
        assertEquals(2, recs.size());
        assertTrue(recs.get(0).headerMatched());
        assertFalse(recs.get(1).headerMatched());
        assertEquals("this line has no header", recs.get(1).content());
        assertEquals(1, r.stats().headerMismatches());
    }

    @Test
    void missingFileIsAClearError() {
        var e = assertThrows(AnomalogException.class, () -> LogReader.builder().open(dir.resolve("nope.log")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        var d = assertThrows(AnomalogException.class, () -> LogReader.builder().open(dir));
        assertTrue(d.getMessage().contains("directory"), d.getMessage());
    }
}
