package io.anomalog.core.ingest;

import io.anomalog.core.io.Utf8Buffer;
import io.anomalog.core.log.LineBatch;
import io.anomalog.core.log.LineSplitter;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogReader;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.template.Drain;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads one input through an {@link IngestPipeline} on several threads, with exactly the events, ids, counts,
 * dead letters and output bytes of reading it on one ({@link IngestPipeline#read}):
 * <pre>
 *   reader thread        workers (threads)                          calling thread, in input order
 *   bytes -> batches ->  decode, format, bad-line check,        ->  count, dead-letter, settle the guess
 *   of lines             Drain look-up (no learning), encode        (learn the lines that need it), write
 * </pre>
 * Ids are given by Drain as templates are created, and a template generalised by one line changes what later lines
 * match, so lines cannot learn in parallel without changing ids. Instead workers only look lines up
 * ({@link Drain#guess}) and encode what they found; the calling thread settles each line in input order
 * ({@link Drain#settle}): a guess stands when no template of its length changed since it was made, otherwise the
 * line is added again there and then, as a sequential read would add it, and only then re-encoded. Once a log's
 * templates are known (almost at once on most logs) every guess stands and the work is parallel.
 *
 * <p>Memory is bounded: at most {@code 2 x threads} batches are read ahead of the one being written. An input most
 * of whose lines are undecodable is refused as a binary file by the rule of {@link IngestPipeline#read}, checked
 * at the end of the first batch past its line count and at the end.
 */
public final class ParallelReader {

    /** Turns an event into output bytes; called on worker threads, so it must be thread-safe. */
    @FunctionalInterface
    public interface Encoder {
        void encode(ParsedEvent event, Utf8Buffer out);
    }

    /** Receives the results in input order, on the calling thread. */
    public interface Output {
        /** Each event, in input order. */
        void event(ParsedEvent event);

        /** The encoded events, in input order. */
        void write(byte[] bytes, int offset, int length) throws IOException;

        /** Bytes of the input consumed so far, after each batch. */
        default void progress(long bytesRead) {
        }
    }

    /** The read size of the first batch; batches double up to the configured size, so learning starts soon. */
    private static final int FIRST_BATCH_BYTES = 1 << 14;

    private final IngestPipeline pipeline;
    private final int threads;
    private final int batchBytes;
    private final Encoder encoder;

    private ParallelReader(IngestPipeline pipeline, int threads, int batchBytes, Encoder encoder) {
        this.pipeline = pipeline;
        this.threads = threads;
        this.batchBytes = batchBytes;
        this.encoder = encoder;
    }

    /**
     * @param threads    worker threads (at least 1)
     * @param batchBytes bytes of input per batch of lines once under way (the first batches are smaller)
     */
    public static ParallelReader of(IngestPipeline pipeline, int threads, int batchBytes, Encoder encoder) {
        if (threads < 1) {
            throw new AnomalogException("threads must be at least 1, got " + threads);
        }
        if (batchBytes < 16) {
            throw new AnomalogException("batches must be at least 16 bytes, got " + batchBytes);
        }
        return new ParallelReader(Objects.requireNonNull(pipeline, "pipeline"), threads, batchBytes,
                Objects.requireNonNull(encoder, "encoder"));
    }

    /** A batch of lines after a worker: records, bad-line verdicts, guesses and the encoded rows. */
    private static final class Worked {
        final LineBatch lines;
        final LogReader.Stats counted = new LogReader.Stats();
        final LogRecord[] records;
        final LineProblem[] rejections;
        final Drain.Guess[] guesses;
        final int[] rowStart;
        final int[] rowEnd;
        final Utf8Buffer rows;

        Worked(LineBatch lines) {
            this.lines = lines;
            int n = lines.size();
            records = new LogRecord[n];
            rejections = new LineProblem[n];
            guesses = new Drain.Guess[n];
            rowStart = new int[n];
            rowEnd = new int[n];
            rows = new Utf8Buffer(estimateRowBytes(lines));
        }

        private static int estimateRowBytes(LineBatch lines) {
            long last = lines.size() == 0 ? 0 : lines.offset(lines.size() - 1) - lines.offset(0);
            return (int) Math.min(1 << 26, Math.max(1024, last * 2));
        }
    }

    /** Marks the end of the input in the queue of batches. */
    private static final Future<Worked> END = CompletableFuture.completedFuture(null);

    /** Reads the whole input (closing it), handing results to {@code out} in input order. */
    public void read(InputStream in, String source, Output out) throws IOException {
        AtomicInteger names = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "anomalog-parse-" + names.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        BlockingQueue<Future<Worked>> queue = new ArrayBlockingQueue<>(2 * threads);
        LogFormat format = pipeline.format();
        Thread reader = new Thread(() -> split(in, source, format, workers, queue), "anomalog-read");
        reader.setDaemon(true);
        reader.start();
        Utf8Buffer again = new Utf8Buffer(1 << 12);
        long counted = 0;
        long unusableBefore = pipeline.stats().count(LineProblem.UNUSABLE);
        long lines = 0;
        long invalid = 0;
        boolean checked = false;
        try {
            while (true) {
                Worked w = take(queue);
                if (w == null) {
                    break;
                }
                settle(w, out, again);
                pipeline.stats().addReader(w.counted);
                long end = w.lines.endPosition();
                pipeline.stats().addBytes(end - counted);
                counted = end;
                out.progress(end);
                // the binary-input rule of a one-thread read, checked at the first batch end past its line count
                lines += w.counted.lines() - w.counted.emptyLines();
                invalid += w.counted.linesWithInvalidBytes();
                if (!checked && lines >= IngestPipeline.BINARY_CHECK_LINES) {
                    checked = true;
                    IngestPipeline.requireText(source, lines, invalid,
                            pipeline.stats().count(LineProblem.UNUSABLE) - unusableBefore);
                }
            }
            IngestPipeline.requireText(source, lines, invalid,
                    pipeline.stats().count(LineProblem.UNUSABLE) - unusableBefore);
        } finally {
            reader.interrupt();
            workers.shutdownNow();
        }
    }

    /** The reader thread: cuts the input into batches, hands each to a worker, queues the results in order. */
    private void split(InputStream in, String source, LogFormat format, ExecutorService workers,
                       BlockingQueue<Future<Worked>> queue) {
        try {
            try (in) {
                LineSplitter splitter = new LineSplitter(in, pipeline.maxLineBytes(), batchBytes);
                int size = Math.min(FIRST_BATCH_BYTES, batchBytes);
                LineBatch batch;
                while ((batch = splitter.next(size)) != null) {
                    LineBatch lines = batch;
                    queue.put(workers.submit(() -> work(lines, source, format)));
                    size = Math.min(batchBytes, size * 2);
                }
            } catch (IOException e) {
                queue.put(CompletableFuture.failedFuture(
                        new AnomalogException("cannot read " + source + ": " + e.getMessage(), e)));
                return;
            } catch (RuntimeException e) {
                queue.put(CompletableFuture.failedFuture(e));
                return;
            }
            queue.put(END);
        } catch (InterruptedException e) {
            // the calling thread stopped reading (it failed or finished): nothing more to hand over
        }
    }

    /** A worker: everything about a line that does not depend on the lines before it. */
    private Worked work(LineBatch lines, String source, LogFormat format) {
        Worked w = new Worked(lines);
        Drain drain = pipeline.miner();
        for (int i = 0; i < lines.size(); i++) {
            LogRecord r = LogReader.record(lines, i, format, source, true, w.counted);
            if (r == null) {
                continue;
            }
            w.records[i] = r;
            LineProblem rejection = pipeline.rejection(r);
            if (rejection != null) {
                w.rejections[i] = rejection;
                continue;
            }
            w.rowStart[i] = w.rows.size();
            w.rowEnd[i] = w.rows.size();
            Drain.Guess g;
            try {
                g = drain.guess(r);
            } catch (RuntimeException e) {
                continue;                    // settled in order, where adding it fails the same way and is counted
            }
            w.guesses[i] = g;
            ParsedEvent e = g.event();
            if (e != null) {
                encoder.encode(e, w.rows);
                w.rowEnd[i] = w.rows.size();
            }
        }
        return w;
    }

    /** The calling thread, in input order: counts, dead letters, learning, and the bytes. */
    private void settle(Worked w, Output out, Utf8Buffer again) throws IOException {
        DeadLetters dead = pipeline.deadLetters();
        byte[] rows = w.rows.array();
        int written = 0;
        for (int i = 0; i < w.records.length; i++) {
            LogRecord r = w.records[i];
            if (r == null || pipeline.admit(r, w.rejections[i], dead) == null) {
                continue;
            }
            Drain.Guess g = w.guesses[i];
            ParsedEvent e = g == null ? pipeline.parse(r, dead) : pipeline.parse(g, dead);
            if (e == null) {
                continue;
            }
            out.event(e);
            if (g == null || !same(e, g.event())) {
                // learned now, or something changed since the guess: write the event as it is, not as guessed
                out.write(rows, written, w.rowStart[i] - written);
                again.clear();
                encoder.encode(e, again);
                out.write(again.array(), 0, again.size());
                written = w.rowEnd[i];
            }
        }
        out.write(rows, written, w.rows.size() - written);
    }

    private static boolean same(ParsedEvent e, ParsedEvent guessed) {
        if (e == guessed) {
            return true;
        }
        return guessed != null && e.record() == guessed.record() && e.templateId() == guessed.templateId()
                && e.template().equals(guessed.template()) && e.parameters().equals(guessed.parameters());
    }

    private static Worked take(BlockingQueue<Future<Worked>> queue) throws IOException {
        try {
            return queue.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnomalogException("interrupted while reading");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            if (c instanceof IOException io) {
                throw io;
            }
            throw new UncheckedIOException(new IOException(c));
        }
    }
}
