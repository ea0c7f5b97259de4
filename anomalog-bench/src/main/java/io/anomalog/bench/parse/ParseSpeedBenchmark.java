package io.anomalog.bench.parse;

import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.log.LogReader;
import io.anomalog.core.template.Drain;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.BufferedOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Parser throughput over the whole path: file bytes, line splitting, UTF-8 decoding, HDFS header split, masking,
 * tree search and parameter extraction. The input is {@code HDFS_20000.log} repeated until it has the requested
 * number of lines, written to a temporary file. One run with one thread, one with all threads (the file split
 * at line boundaries, one shared {@link Drain}).
 */
public final class ParseSpeedBenchmark {

    /** One measurement. */
    public record Run(int threads, long lines, double seconds, double cpuSeconds, int templates) {
        public double linesPerSecond() {
            return lines / seconds;
        }

        /** Lines per second of CPU time used by the parsing threads: what a free core would do. */
        public double linesPerCpuSecond() {
            return lines / cpuSeconds;
        }
    }

    private final Path source;
    private final long lines;

    public ParseSpeedBenchmark(Path source, long lines) {
        if (!Files.isRegularFile(source)) {
            throw new AnomalogException("speed benchmark input " + source + " does not exist");
        }
        this.source = source;
        this.lines = lines;
    }

    /** Writes the repeated input; returns its path (caller deletes). */
    public Path prepare() throws IOException {
        byte[] one = Files.readAllBytes(source);
        long perCopy = 0;
        for (byte b : one) {
            if (b == '\n') {
                perCopy++;
            }
        }
        if (perCopy == 0) {
            throw new AnomalogException(source + " has no lines");
        }
        Path tmp = Files.createTempFile("anomalog-speed", ".log");
        long written = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            while (written < lines) {
                out.write(one);
                written += perCopy;
            }
        }
        return tmp;
    }

    public Run run(Path file, int threads) throws Exception {
        LogFormat format = LogFormats.byName("hdfs");
        // the miner every command uses, with the defaults
        Drain drain = io.anomalog.core.template.MinerSettings.defaults().miner(new io.anomalog.core.template.TemplateStore(),
                io.anomalog.core.template.MinerSettings.Mode.LEARN);
        long size = Files.size(file);
        List<long[]> ranges = split(file, size, threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<Long>> parts = new ArrayList<>();
            java.util.concurrent.atomic.AtomicLong cpuNanos = new java.util.concurrent.atomic.AtomicLong();
            for (long[] r : ranges) {
                parts.add(pool.submit(() -> {
                    long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    long n = 0;
                    long sink = 0;
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                         LogReader reader = LogReader.builder().format(format)
                                 .open(bounded(Channels.newInputStream(ch.position(r[0])), r[1] - r[0]), file.toString())) {
                        while (reader.hasNext()) {
                            ParsedEvent e = drain.add(reader.next());
                            sink += e.templateId() + e.parameters().size();
                            n++;
                        }
                    }
                    cpuNanos.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0);
                    return sink == Long.MIN_VALUE ? -1 : n;
                }));
            }
            long total = 0;
            for (Future<Long> f : parts) {
                total += f.get();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            return new Run(threads, total, secs, cpuNanos.get() / 1e9, drain.size());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Peak heap use over all pools since the JVM started (bytes). */
    public static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static List<long[]> split(Path file, long size, int parts) throws IOException {
        List<long[]> out = new ArrayList<>();
        long prev = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i = 1; i <= parts; i++) {
                long target = i == parts ? size : size * i / parts;
                if (i < parts) {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
                    long pos = target;
                    while (pos < size) {
                        b.clear();
                        ch.read(b, pos);
                        pos++;
                        if (b.get(0) == '\n') {
                            break;
                        }
                    }
                    target = pos;
                }
                out.add(new long[]{prev, target});
                prev = target;
            }
        }
        return out;
    }

    private static InputStream bounded(InputStream in, long limit) {
        return new InputStream() {
            long left = limit;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = in.read(buf, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }
}
