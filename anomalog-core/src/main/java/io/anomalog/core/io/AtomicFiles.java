package io.anomalog.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes state files so that a reader sees either the old file or the whole new one, never a half-written
 * file: write a temporary file beside the target, force it to disk, then rename it over the target.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static void write(Path target, Body body) throws IOException {
        write(target, body, true);
    }

    /**
     * Writes an output file (a parsed log, a report) the same way but without forcing it to disk: a failure halfway
     * (a truncated input, a full disk) leaves the earlier file as it was instead of a partial one, and a large
     * output does not wait for the disk.
     */
    public static void replace(Path target, Body body) throws IOException {
        write(target, body, false);
    }

    /**
     * {@link #replace} for an output of any size (a parsed log): with {@code direct}, the bytes go past the page
     * cache where the file system allows it ({@link DirectFileOutput}).
     */
    public static void replaceLarge(Path target, boolean direct, Body body) throws IOException {
        write(target, body, false, direct);
    }

    private static void write(Path target, Body body, boolean durable) throws IOException {
        write(target, body, durable, false);
    }

    private static void write(Path target, Body body, boolean durable, boolean large) throws IOException {
        try {
            writeOrFail(target, body, durable, large);
        } catch (java.nio.file.FileSystemException e) {
            // the message names the target, not the temporary file beside it, and says what went wrong
            String reason = e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            throw new IOException("cannot write " + target + ": " + reason, e);
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private static void writeOrFail(Path target, Body body, boolean durable, boolean direct) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            if (direct) {
                try (DirectFileOutput out = DirectFileOutput.open(tmp, true)) {
                    body.writeTo(out);
                }
            } else {
                try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE);
                     OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                    OutputStream buffered = new java.io.BufferedOutputStream(out, 1 << 16);
                    body.writeTo(buffered);
                    buffered.flush();
                    if (durable) {
                        channel.force(true);
                    }
                }
            }
            keepPermissions(tmp, target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (durable) {
                syncDirectory(dir);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Temporary files are created owner-only; the replaced file keeps the permissions the old one had (a new one
     * gets rw-r--r--), so a model or store written by one user stays readable by the service that loads it.
     */
    private static void keepPermissions(Path tmp, Path target) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            return;
        }
        var permissions = Files.exists(target) ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, permissions);
    }

    /** Makes the rename itself durable: without it a crash can bring the old directory entry back. */
    private static void syncDirectory(Path dir) {
        try (var channel = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems and platforms cannot open or sync a directory; the file itself is on disk
        }
    }

    /** Serialises a value as pretty JSON, atomically. */
    public static void writeJson(Path target, Object value) throws IOException {
        write(target, out -> Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(nonClosing(out), value));
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }
}
