package io.anomalog.core.log;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineSplitterTest {

    /** One line as the splitter should cut it. */
    private record Cut(long lineNumber, long offset, String bytes, boolean truncated) {
    }

    /** The rules written out plainly over the whole input at once, to hold the batched splitter to. */
    private static List<Cut> reference(byte[] in, int cap) {
        List<Cut> out = new ArrayList<>();
        int start = 0;
        long number = 0;
        while (start < in.length) {
            int nl = start;
            while (nl < in.length && in[nl] != '\n') {
                nl++;
            }
            int len = nl - start;
            boolean cut = len > cap;
            if (cut) {
                len = cap;
            } else if (len > 0 && in[start + len - 1] == '\r') {
                len--;
            }
            out.add(new Cut(++number, start, new String(in, start, len, StandardCharsets.ISO_8859_1), cut));
            start = nl + 1;
        }
        return out;
    }

    private static List<Cut> split(InputStream in, int cap, int batchBytes) throws IOException {
        LineSplitter s = new LineSplitter(in, cap, batchBytes);
        List<Cut> out = new ArrayList<>();
        LineBatch b;
        long lastEnd = 0;
        while ((b = s.next()) != null) {
            assertTrue(b.size() > 0, "no empty batches");
            assertTrue(b.endPosition() >= lastEnd, "progress only grows");
            lastEnd = b.endPosition();
            for (int i = 0; i < b.size(); i++) {
                out.add(new Cut(b.lineNumber(i), b.offset(i),
                        new String(b.data, b.start[i], b.length[i], StandardCharsets.ISO_8859_1), b.truncated(i)));
            }
        }
        assertNull(s.next());
        return out;
    }

    /** A stream that hands out its bytes in random small pieces and says nothing is ready in between. */
    private static InputStream trickling(byte[] bytes, Random random) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(40)));
            }

            @Override
            public synchronized int available() {
                return random.nextBoolean() ? 0 : super.available();
            }
        };
    }

    @Test
    void batchesCutLinesExactlyAsTheRulesSayWhateverTheReadsAndBatchSizes() throws IOException {
        Random random = new Random(11);
        byte[] alphabet = "ab \r\n\n\n\t\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        for (int trial = 0; trial < 400; trial++) {
            byte[] in = new byte[random.nextInt(600)];
            for (int i = 0; i < in.length; i++) {
                // long runs without a newline now and then, so lines pass the cap and batches
                in[i] = random.nextInt(10) == 0 ? (byte) 'x' : alphabet[random.nextInt(alphabet.length)];
                if (random.nextInt(200) == 0) {
                    int run = Math.min(in.length - i - 1, random.nextInt(120));
                    Arrays.fill(in, i, i + Math.max(0, run), (byte) 'y');
                    i += Math.max(0, run - 1);
                }
            }
            int cap = 16 + random.nextInt(40);
            int batch = 16 + random.nextInt(100);
            List<Cut> expected = reference(in, cap);
            assertEquals(expected, split(new ByteArrayInputStream(in), cap, batch), "trial " + trial);
            assertEquals(expected, split(trickling(in, random), cap, batch), "trial " + trial + ", trickling");
        }
    }

    @Test
    void aLineLongerThanManyBatchesIsCutAtTheCapAndTheLinesAfterItKeepTheirNumbersAndOffsets() throws IOException {
        String longLine = "z".repeat(10_000);
        byte[] in = ("first\n" + longLine + "\r\nnext\nlast").getBytes(StandardCharsets.US_ASCII);
        List<Cut> cuts = split(new ByteArrayInputStream(in), 100, 64);
        assertEquals(List.of(
                new Cut(1, 0, "first", false),
                new Cut(2, 6, "z".repeat(100), true),
                new Cut(3, 6 + 10_002, "next", false),
                new Cut(4, 6 + 10_002 + 5, "last", false)), cuts);
    }

    @Test
    void everyByteIsCountedAsConsumedAtTheEnd() throws IOException {
        byte[] in = ("a\n" + "q".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
        LineSplitter s = new LineSplitter(new ByteArrayInputStream(in), 32, 64);
        while (s.next() != null) {
            assertTrue(s.consumed() <= in.length);
        }
        assertEquals(in.length, s.consumed());
        assertEquals(2, s.lines());
    }

    @Test
    void theFirstNewlineIsFoundAtEveryPositionOfAWordAndAfterIt() {
        Random random = new Random(3);
        for (int len = 0; len < 40; len++) {
            for (int at = 0; at < len; at++) {
                byte[] a = new byte[len];
                for (int i = 0; i < len; i++) {
                    // bytes next to '\n' (a borrow must not look like one) and high bytes
                    a[i] = (byte) (random.nextBoolean() ? 0x0B : 0x09 + (random.nextInt(3) == 0 ? 0x80 : 0));
                }
                a[at] = '\n';
                if (at + 3 < len) {
                    a[at + 3] = '\n';
                }
                assertEquals(at, LineSplitter.indexOfNewline(a, 0, len));
                assertEquals(at + 3 < len ? at + 3 : -1, LineSplitter.indexOfNewline(a, at + 1, len));
            }
            assertEquals(-1, LineSplitter.indexOfNewline(new byte[len], 0, len));
        }
    }
}
