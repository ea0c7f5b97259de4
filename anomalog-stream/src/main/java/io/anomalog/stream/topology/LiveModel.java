package io.anomalog.stream.topology;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.ModelRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The model the score stage judges with. A fixed one stays as given; one {@link #watching} a model directory
 * follows its {@link ModelRegistry}: when another version becomes active (an online update, {@code anomalog model
 * activate} or {@code rollback}), it is loaded beside the running one and swapped in between two batches, so
 * open sessions, state and offsets are untouched and no restart is needed. The version replaced is closed a while
 * later, once no batch can still be using it.
 */
public final class LiveModel implements AutoCloseable {

    /** A model and what the stream says about it. */
    public record Current(Detector detector, String version, Set<Integer> vocabulary) {
        Current(Detector detector, String version) {
            this(detector, version, Set.copyOf(detector.manifest().vocabulary()));
        }
    }

    /** How long a replaced model stays open for batches that took it just before the swap. */
    private static final long RETIRE_AFTER_MS = 30_000;

    private final AtomicReference<Current> current;
    private final Path modelDir;
    private final String templateStoreHash;
    private final Consumer<String> log;
    private final Detector first;
    /** Versions this loaded and swapped out again, with when: closed once no batch can be using them. */
    private final java.util.Queue<Retired> retired = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private ScheduledExecutorService watcher;
    private volatile FileTime seen;

    private record Retired(Detector detector, long at) {
    }

    private LiveModel(Current first, Path modelDir, Consumer<String> log) {
        this.current = new AtomicReference<>(first);
        this.first = first.detector();
        this.modelDir = modelDir;
        this.templateStoreHash = first.detector().manifest().templateStoreHash();
        this.log = log == null ? m -> { } : log;
    }

    /** A model that never changes; the caller closes it. */
    public static LiveModel fixed(Detector detector, String version) {
        return new LiveModel(new Current(detector, version), null, null);
    }

    /**
     * Follows the active version of a model directory, looking every {@code poll}.
     *
     * @param first the active version, loaded already (the caller closes it; versions loaded here are closed here)
     * @param log   where swaps and refused versions are reported
     */
    public static LiveModel watching(Path modelDir, Detector first, Duration poll, Consumer<String> log) {
        ModelRegistry r = ModelRegistry.of(modelDir);
        LiveModel m = new LiveModel(new Current(first, r.active()), modelDir, log);
        m.seen = m.stamp();
        m.watcher = Executors.newSingleThreadScheduledExecutor(t -> {
            Thread th = new Thread(t, "anomalog-model-watch");
            th.setDaemon(true);
            return th;
        });
        long ms = Math.max(50, poll.toMillis());
        m.watcher.scheduleWithFixedDelay(m::check, ms, ms, TimeUnit.MILLISECONDS);
        return m;
    }

    public Current current() {
        return current.get();
    }

    /** Looks at the registry now (the watcher does it every poll). */
    public void check() {
        if (modelDir == null) {
            return;
        }
        closeRetired(System.currentTimeMillis() - RETIRE_AFTER_MS);
        try {
            FileTime stamp = stamp();
            if (Objects.equals(stamp, seen)) {
                return;
            }
            ModelRegistry r = ModelRegistry.of(modelDir);
            String active = r.active();
            seen = stamp;
            if (active.equals(current.get().version())) {
                return;
            }
            Detector next = Detectors.load(r.dirOf(active));
            String hash = next.manifest().templateStoreHash();
            if (templateStoreHash != null && hash != null && !templateStoreHash.equals(hash)) {
                next.close();
                log.accept("model: version " + active + " of " + modelDir + " was made with another template store ("
                        + hash + "); the stream keeps " + current.get().version() + ": restart it to use " + active);
                return;
            }
            Current old = current.getAndSet(new Current(next, active));
            ModelRegistry.Version v = r.version(active);
            log.accept("model: now " + active + " (" + v.note() + "), was " + old.version());
            retire(old.detector());
        } catch (RuntimeException | java.io.IOException e) {
            // a half-copied folder or a registry being written: the next look sees it whole
            log.accept("model: cannot switch version yet: " + e.getMessage());
            seen = null;
        }
    }

    private FileTime stamp() {
        try {
            Path f = modelDir.resolve(ModelRegistry.FILE);
            return Files.exists(f) ? Files.getLastModifiedTime(f) : FileTime.fromMillis(0);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private void retire(Detector d) {
        if (d != first) {
            retired.add(new Retired(d, System.currentTimeMillis()));
        }
    }

    private void closeRetired(long before) {
        for (var it = retired.iterator(); it.hasNext(); ) {
            Retired r = it.next();
            if (r.at() <= before) {
                r.detector().close();
                it.remove();
            }
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
            try {
                watcher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeRetired(Long.MAX_VALUE);
        Detector last = current.get().detector();
        if (last != first) {
            last.close();
        }
    }
}
