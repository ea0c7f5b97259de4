package io.anomalog.core.ingest;

import io.anomalog.core.data.StructuredRows;
import io.anomalog.core.io.DeadLetter;
import io.anomalog.core.io.Utf8Buffer;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.template.EvolvingLog;
import io.anomalog.core.template.MinerSettings;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelReaderTest {

    @TempDir
    Path dir;

    private static final Path REPO = Path.of(System.getProperty("anomalog.repo", ".."));

    /** Everything one read produced: the bytes, the events, the dead letters, the counts and the store. */
    private record Read(byte[] bytes, List<String> events, List<DeadLetter> dead, String stats, String store) {
    }

    private static IngestPipeline pipeline(LogFormat format, MinerSettings settings, BadLinePolicy policy, int cap) {
        return IngestPipeline.builder(format).miner(settings).policy(policy).maxLineBytes(cap)
                .store(new TemplateStore()).build();
    }

    private static String describe(ParsedEvent e) {
        return e.record().lineNumber() + "\t" + e.templateId() + "\t" + e.template() + "\t" + e.parameters();
    }

    private static final ParallelReader.Encoder CSV = (e, out) -> StructuredRows.csvRow(e, List.of(), out);

    private Read result(IngestPipeline p, byte[] bytes, List<String> events) throws IOException {
        Path file = dir.resolve("store.json");
        p.store().save(file);
        IngestStats s = p.stats();
        StringBuilder counts = new StringBuilder();
        counts.append("lines ").append(s.lines()).append(", events ").append(s.events()).append(", bytes ")
                .append(s.bytes()).append(", empty ").append(s.emptyLines()).append(", invalid ")
                .append(s.linesWithInvalidBytes());
        for (LineProblem problem : LineProblem.values()) {
            counts.append(", ").append(problem).append(' ').append(s.count(problem)).append('/')
                    .append(s.deadLettered(problem));
        }
        return new Read(bytes, events, ((DeadLetters.Collected) p.deadLetters()).letters(), counts.toString(),
                Files.readString(file));
    }

    /** The reference: the one-thread read every other command uses, encoding each event as it comes. */
    private Read sequential(IngestPipeline p, byte[] input, ParallelReader.Encoder encoder) throws IOException {
        Utf8Buffer buf = new Utf8Buffer(1024);
        List<String> events = new ArrayList<>();
        p.read(p.open(new ByteArrayInputStream(input), "in"), e -> {
            events.add(describe(e));
            encoder.encode(e, buf);
        });
        return result(p, java.util.Arrays.copyOf(buf.array(), buf.size()), events);
    }

    private Read parallel(IngestPipeline p, byte[] input, int threads, int batchBytes,
                          ParallelReader.Encoder encoder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> events = new ArrayList<>();
        long[] progress = {0};
        ParallelReader.of(p, threads, batchBytes, encoder).read(new ByteArrayInputStream(input), "in",
                new ParallelReader.Output() {
                    @Override
                    public void event(ParsedEvent e) {
                        events.add(describe(e));
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        bytes.write(b, off, len);
                    }

                    @Override
                    public void progress(long bytesRead) {
                        assertTrue(bytesRead >= progress[0]);
                        progress[0] = bytesRead;
                    }
                });
        assertEquals(input.length, progress[0], "progress reaches the end of the input");
        return result(p, bytes.toByteArray(), events);
    }

    private void assertSameRead(Read expected, Read actual, String what) {
        assertEquals(expected.events(), actual.events(), what + ": events");
        assertArrayEquals(expected.bytes(), actual.bytes(), what + ": bytes");
        assertEquals(expected.dead(), actual.dead(), what + ": dead letters");
        assertEquals(expected.stats(), actual.stats(), what + ": counts");
        assertEquals(expected.store(), actual.store(), what + ": template store");
    }

    private static byte[] evolvingLog() {
        return (String.join("\n", EvolvingLog.messages(21, 8000)) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parallelOutputIsByteForByteTheSequentialOutputOnLogsWithManyTemplates() throws IOException {
        record Input(String name, LogFormat format, byte[] bytes) {
        }
        List<Input> inputs = List.of(
                new Input("BGL_2k", LogFormats.byName("bgl"), Files.readAllBytes(REPO.resolve("data/loghub/BGL/BGL_2k.log"))),
                new Input("HDFS_2k", LogFormats.byName("hdfs"), Files.readAllBytes(REPO.resolve("data/loghub/HDFS/HDFS_2k.log"))),
                new Input("evolving", LogFormats.byName("raw"), evolvingLog()));
        for (Input in : inputs) {
            List<String> fields = in.format().fieldNames();
            ParallelReader.Encoder csv = (e, out) -> StructuredRows.csvRow(e, fields, out);
            Read expected = sequential(pipeline(in.format(), MinerSettings.defaults(), BadLinePolicy.defaults(), 1 << 20),
                    in.bytes(), csv);
            for (int threads : new int[]{2, 5}) {
                for (int batch : new int[]{200, 4096, 1 << 16}) {
                    Read actual = parallel(pipeline(in.format(), MinerSettings.defaults(), BadLinePolicy.defaults(),
                            1 << 20), in.bytes(), threads, batch, csv);
                    assertSameRead(expected, actual, in.name() + ", " + threads + " threads, batches of " + batch);
                }
            }
        }
    }

    @Test
    void templatesThatGeneraliseMergeAndAreEvictedLateGetTheIdsOfASequentialRead() throws IOException {
        byte[] log = evolvingLog();
        MinerSettings capped = MinerSettings.defaults().withMaxTemplates(30);
        Read expected = sequential(pipeline(LogFormats.byName("raw"), capped, BadLinePolicy.defaults(), 1 << 20), log, CSV);
        TemplateStore store = TemplateStore.load(writeStore(expected.store()));
        assertTrue(store.evicted() > 10 && !store.aliases().isEmpty() && store.generalisations().size() > 10,
                "the log keeps changing its templates: " + store.evicted() + " evicted, " + store.aliases().size()
                        + " aliases, " + store.generalisations().size() + " generalisations");
        assertTrue(lastNewTemplateLine(expected.events()) > 6000, "new templates until late in the log");
        Read actual = parallel(pipeline(LogFormats.byName("raw"), capped, BadLinePolicy.defaults(), 1 << 20), log, 3,
                300, CSV);
        assertSameRead(expected, actual, "capped at 30 templates");
    }

    private Path writeStore(String json) throws IOException {
        Path f = dir.resolve("expected.json");
        Files.writeString(f, json);
        return f;
    }

    private static long lastNewTemplateLine(List<String> events) {
        int highest = 0;
        long line = 0;
        for (String e : events) {
            String[] f = e.split("\t");
            int id = Integer.parseInt(f[1]);
            if (id > highest) {
                highest = id;
                line = Long.parseLong(f[0]);
            }
        }
        return line;
    }

    @Test
    void theOutputKeepsInputOrderWhenBatchesTakeVeryDifferentTimes() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 3000; i++) {
            sb.append("line ").append(i).append('\n');
        }
        Random random = new Random(9);
        boolean[] slow = new boolean[3001];
        for (int i = 0; i < slow.length; i++) {
            slow[i] = random.nextInt(40) == 0;
        }
        ParallelReader.Encoder uneven = (e, out) -> {
            int n = (int) e.record().lineNumber();
            if (slow[n]) {
                try {
                    Thread.sleep(1 + n % 4);      // some batches take milliseconds, most microseconds
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            out.number(n).ascii('\n');
        };
        byte[] in = sb.toString().getBytes(StandardCharsets.US_ASCII);
        Read r = parallel(pipeline(LogFormats.byName("raw"), MinerSettings.defaults(), BadLinePolicy.defaults(), 1 << 20),
                in, 6, 64, uneven);
        String[] lines = new String(r.bytes(), StandardCharsets.US_ASCII).split("\n");
        assertEquals(3000, lines.length);
        for (int i = 0; i < lines.length; i++) {
            assertEquals(Integer.toString(i + 1), lines[i]);
        }
    }

    @Test
    void badLinesAreDeadLetteredAndCountedAsASequentialReadDoes() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Random random = new Random(4);
        String ok = "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder %d for block blk_%d terminating";
        for (int i = 0; i < 3000; i++) {
            switch (random.nextInt(12)) {
                case 0 -> {                                           // binary junk: unusable
                    byte[] junk = new byte[20 + random.nextInt(60)];
                    for (int k = 0; k < junk.length; k++) {
                        junk[k] = (byte) (0x80 + random.nextInt(100));
                    }
                    b.writeBytes(junk);
                }
                case 1 -> b.writeBytes("not an hdfs header at all".getBytes(StandardCharsets.US_ASCII));
                case 2 -> b.writeBytes(("081109 203615 148 INFO dfs.DataNode: " + "y".repeat(300))
                        .getBytes(StandardCharsets.US_ASCII));                // over the cap: cut
                case 3 -> b.writeBytes("   ".getBytes(StandardCharsets.US_ASCII));     // blank
                case 4 -> b.writeBytes("081109 203615 148 INFO dfs.DataNode: caf\u00e9 \0 na\u00efve"
                        .getBytes(StandardCharsets.UTF_8));                   // NUL and non-ASCII
                case 5 -> b.writeBytes(("081109 203615 148 WARN dfs.FSNamesystem: a, \"quoted\" value 'x' \\ "
                        + random.nextInt(9)).getBytes(StandardCharsets.UTF_8));
                default -> b.writeBytes(String.format(ok, random.nextInt(3), random.nextLong())
                        .getBytes(StandardCharsets.US_ASCII));
            }
            b.write(random.nextInt(5) == 0 ? '\r' : 'x');
            b.write('\n');
        }
        byte[] in = b.toByteArray();
        LogFormat hdfs = LogFormats.byName("hdfs");
        ParallelReader.Encoder csv = (e, out) -> StructuredRows.csvRow(e, hdfs.fieldNames(), out);
        for (BadLinePolicy policy : List.of(BadLinePolicy.defaults(), new BadLinePolicy(true))) {
            Read expected = sequential(pipeline(hdfs, MinerSettings.defaults(), policy, 200), in, csv);
            assertTrue(expected.dead().size() > 100, "junk is dead-lettered: " + expected.stats());
            assertTrue(expected.stats().contains("TRUNCATED 2"), "long lines are cut: " + expected.stats());
            Read actual = parallel(pipeline(hdfs, MinerSettings.defaults(), policy, 200), in, 3, 1000, csv);
            assertSameRead(expected, actual, "policy " + policy);
        }
    }

    @Test
    void aBinaryFileIsRefusedAsTheOneThreadReadRefusesIt() {
        byte[] junk = new byte[256 * 1024];
        new Random(3).nextBytes(junk);
        LogFormat raw = LogFormats.raw();
        AnomalogException one = assertThrows(AnomalogException.class,
                () -> sequential(pipeline(raw, MinerSettings.defaults(), BadLinePolicy.defaults(), 1 << 20), junk, CSV));
        AnomalogException many = assertThrows(AnomalogException.class,
                () -> parallel(pipeline(raw, MinerSettings.defaults(), BadLinePolicy.defaults(), 1 << 20), junk, 2,
                        4096, CSV));
        assertTrue(one.getMessage().startsWith("in looks like a binary file, not a log"), one.getMessage());
        assertTrue(many.getMessage().startsWith("in looks like a binary file, not a log"), many.getMessage());
    }

    @Test
    void aBinaryTailAfterTheFirstThousandLinesIsRefusedAtTheEnd() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 1200; i++) {
            b.writeBytes(("worker " + i + " done\n").getBytes(StandardCharsets.US_ASCII));
        }
        byte[] junk = new byte[512 * 1024];
        new Random(5).nextBytes(junk);
        b.writeBytes(junk);
        byte[] in = b.toByteArray();
        AnomalogException e = assertThrows(AnomalogException.class, () -> parallel(pipeline(LogFormats.raw(),
                MinerSettings.defaults(), BadLinePolicy.defaults(), 1 << 20), in, 2, 4096, CSV));
        assertTrue(e.getMessage().startsWith("in looks like a binary file, not a log"), e.getMessage());

        byte[] text = java.util.Arrays.copyOf(in, in.length - junk.length);
        Read read = parallel(pipeline(LogFormats.raw(), MinerSettings.defaults(), BadLinePolicy.defaults(), 1 << 20),
                text, 2, 4096, CSV);
        assertEquals(1200, read.events().size(), "the text alone is read");
    }

    @Test
    void aReadErrorStopsTheReadWithTheReadersMessage() {
        InputStream failing = new InputStream() {
            int left = 5000;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    throw new IOException("Unexpected end of ZLIB input stream");
                }
                int n = Math.min(len, Math.min(left, 100));
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) ((left - i) % 50 == 0 ? '\n' : 'a');
                }
                left -= n;
                return n;
            }

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }
        };
        IngestPipeline p = pipeline(LogFormats.byName("raw"), MinerSettings.defaults(), BadLinePolicy.defaults(), 1 << 20);
        AnomalogException e = assertThrows(AnomalogException.class, () -> ParallelReader.of(p, 2, 256, CSV)
                .read(failing, "cut.gz", new ParallelReader.Output() {
                    @Override
                    public void event(ParsedEvent event) {
                    }

                    @Override
                    public void write(byte[] bytes, int offset, int length) {
                    }
                }));
        assertEquals("cannot read cut.gz: Unexpected end of ZLIB input stream", e.getMessage());
    }
}
