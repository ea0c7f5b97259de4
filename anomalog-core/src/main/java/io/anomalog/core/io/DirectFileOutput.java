package io.anomalog.core.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An output stream that writes a large file past the page cache (direct I/O) where the file system allows it, and
 * through it where not.
 *
 * <p>Why: copying a gigabyte of output into the page cache costs the kernel seconds of CPU on some machines (page
 * allocation and accounting, then writeback), as much as the work that produced the bytes; a direct write hands
 * the disk an aligned buffer instead. The price: the call waits for the disk, so on a slow disk a buffered write
 * returns sooner; the command that writes such files says how to turn this off.
 *
 * <p>Bytes collect in an aligned buffer of whole blocks; a full buffer goes to the disk on a thread of its own
 * while the caller fills the other one, so the producer never waits for the disk unless the disk is the slower
 * of the two. The last, partial block is written padded and the file is then cut to its true length. A file system
 * that refuses direct I/O (at open or at the first write) gets the same bytes written the ordinary way.
 */
public final class DirectFileOutput extends OutputStream {

    /** Bytes per write: the disk gets few, large requests, and the two buffers are all the memory this holds. */
    static final int BUFFER_BYTES = 1 << 22;

    private final Path file;
    private final int block;
    /** The buffer being filled. */
    private ByteBuffer buffer;
    /** The other buffer: being written while {@link #pending} runs, free after. */
    private ByteBuffer spare;
    private final ExecutorService writer;
    private Future<?> pending;
    private FileChannel channel;
    private volatile boolean direct;
    /** Bytes handed to the writer so far (each write's file position). */
    private long handed;
    private boolean closed;

    private DirectFileOutput(Path file, FileChannel channel, boolean direct, int block) {
        this.file = file;
        this.channel = channel;
        this.direct = direct;
        this.block = block;
        this.buffer = aligned(block);
        this.spare = aligned(block);
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "anomalog-write");
            t.setDaemon(true);
            return t;
        });
    }

    private static ByteBuffer aligned(int block) {
        ByteBuffer b = ByteBuffer.allocateDirect(BUFFER_BYTES + block).alignedSlice(block);
        b.limit(BUFFER_BYTES);
        return b;
    }

    /**
     * Opens {@code file} (which must exist, empty) for writing.
     *
     * @param direct false writes through the page cache, as an ordinary stream does
     */
    public static DirectFileOutput open(Path file, boolean direct) throws IOException {
        int block = 4096;
        if (direct) {
            try {
                block = (int) Math.max(block, Files.getFileStore(file).getBlockSize());
                if (block <= BUFFER_BYTES && Integer.bitCount(block) == 1) {
                    FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, directOption());
                    return new DirectFileOutput(file, ch, true, block);
                }
            } catch (IOException | UnsupportedOperationException e) {
                // no direct I/O here (tmpfs, some network file systems): write the ordinary way
            }
            block = 4096;
        }
        return new DirectFileOutput(file, FileChannel.open(file, StandardOpenOption.WRITE), false, block);
    }

    private static OpenOption directOption() {
        return com.sun.nio.file.ExtendedOpenOption.DIRECT;
    }

    /** Whether the bytes go past the page cache. */
    public boolean direct() {
        return direct;
    }

    @Override
    public void write(int b) throws IOException {
        if (!buffer.hasRemaining()) {
            drain();
        }
        buffer.put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (!buffer.hasRemaining()) {
                drain();
            }
            int n = Math.min(len, buffer.remaining());
            buffer.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** Hands the full buffer (a whole number of blocks) to the writer and goes on with the other one. */
    private void drain() throws IOException {
        awaitPending();
        ByteBuffer full = buffer;
        full.flip();
        long at = handed;
        handed += full.remaining();
        pending = writer.submit(() -> {
            writeFully(full, at);
            return null;
        });
        buffer = spare;
        spare = full;
        buffer.clear().limit(BUFFER_BYTES);
    }

    private void awaitPending() throws IOException {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing " + file);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException(c);
        } finally {
            pending = null;
        }
    }

    /** On the writer thread, one buffer at a time. */
    private void writeFully(ByteBuffer b, long at) throws IOException {
        int length = b.remaining();
        try {
            while (b.hasRemaining()) {
                channel.write(b, at + (length - b.remaining()));
            }
        } catch (IOException e) {
            if (!direct || at > 0) {
                throw e;
            }
            // opened, but the first direct write was refused (EINVAL on some file systems): start over plainly
            channel.close();
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            direct = false;
            b.rewind();
            while (b.hasRemaining()) {
                channel.write(b, at + (length - b.remaining()));
            }
        }
    }

    /** Nothing to do: bytes go out a buffer at a time, and all of them at {@link #close}. */
    @Override
    public void flush() {
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int tail = buffer.position();
            long length = handed + tail;
            if (tail > 0) {
                awaitPending();
                if (direct) {
                    // a direct write is whole blocks: pad the last one, then cut the file to its length
                    int padded = (tail + block - 1) / block * block;
                    while (buffer.position() < padded) {
                        buffer.put((byte) 0);
                    }
                }
                drain();
            }
            awaitPending();
            if (channel.size() != length) {
                channel.truncate(length);
            }
        } finally {
            writer.shutdownNow();
            channel.close();
        }
    }
}
