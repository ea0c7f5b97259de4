package io.anomalog.stream.simulate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends one simulated host's lines to its log file at a steady rate, as a running service would, and records
 * each session's label in a {@link GroundTruth} once its last line is on disk. Runs on its own thread until
 * stopped or until the host has written all its sessions.
 */
public final class LiveLogWriter implements Runnable {

    private final HdfsSimulator.HostLog host;
    private final Path file;
    private final double linesPerSecond;
    private final GroundTruth truth;
    private final AtomicLong written = new AtomicLong();
    private volatile boolean stopped;

    public LiveLogWriter(HdfsSimulator.HostLog host, Path file, double linesPerSecond, GroundTruth truth) {
        this.host = host;
        this.file = file;
        this.linesPerSecond = linesPerSecond;
        this.truth = truth;
    }

    /** Stops now, possibly in the middle of sessions. */
    public void stop() {
        stopped = true;
    }

    /** Writes the open sessions to their end and then stops, so every written session is complete. */
    public void finish() {
        host.finish();
    }

    public long linesWritten() {
        return written.get();
    }

    @Override
    public void run() {
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                long start = System.nanoTime();
                java.util.List<SimulatedLine> pending = new java.util.ArrayList<>();
                while (!stopped && host.hasNext()) {
                    // Write in small bursts every 20 ms so the rate holds without a syscall per line.
                    long due = (long) ((System.nanoTime() - start) / 1e9 * linesPerSecond) - written.get();
                    for (long i = 0; i < due && host.hasNext(); i++) {
                        SimulatedLine l = host.next();
                        w.write(l.line());
                        w.write('\n');
                        pending.add(l);
                        written.incrementAndGet();
                    }
                    w.flush();
                    // Labels count only once the lines are in the file.
                    pending.forEach(truth::record);
                    pending.clear();
                    Thread.sleep(20);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
