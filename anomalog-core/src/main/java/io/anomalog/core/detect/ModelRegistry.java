package io.anomalog.core.detect;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Folders;
import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The versions of one model, kept in its model directory. The model {@code train} wrote is version {@value #FIRST};
 * each update (online from feedback, or {@code train --update}) adds the next one under {@value #VERSIONS}/, a
 * complete model directory of its own whose manifest names its parent and the feedback it applied. One version is
 * active: the one {@code detect} and {@code stream} load, and the one every running detector switches to when it
 * changes.
 * <pre>
 *   model/                 version v1 (as train wrote it)
 *   model/registry.json    active version, the versions, every change (written atomically)
 *   model/versions/v2/     a whole model directory
 * </pre>
 * A model directory without {@value #FILE} is a registry of one version, v1, active. Writers take a lock on the
 * directory (and within this process on its path), so an update and an {@code anomalog model activate} never lose
 * each other's change.
 */
public final class ModelRegistry {

    public static final String FILE = "registry.json";
    public static final String VERSIONS = "versions";
    public static final String FIRST = "v1";
    public static final int FORMAT_VERSION = 1;
    /** Files of the parent that a new version shares unchanged (the template store its keys come from). */
    public static final List<String> INHERITED_FILES = List.of("template-store.json");
    private static final String LOCK_FILE = ".registry.lock";
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    /**
     * One version.
     *
     * @param name      v1, v2, ...
     * @param parent    the version it was updated from, or null for v1
     * @param createdAt when it was written
     * @param method    the detection method
     * @param feedback  ids of the feedback records it applied (anomaly ids), empty for v1
     * @param note      what made it ("trained", "online update: 3 false positives")
     * @param report    figures of the update (sessions, windows, steps, seconds, forgetting), or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Version(String name, String parent, String createdAt, String method, List<String> feedback,
                          String note, Map<String, Object> report) {
        public Version {
            feedback = feedback == null ? List.of() : List.copyOf(feedback);
        }
    }

    /** A change of the active version. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Change(String at, String action, String version, String previous, String by) {
    }

    /** What {@value #FILE} holds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record State(int formatVersion, String active, List<Version> versions, List<Change> changes,
                        List<String> activations) {
        public State {
            versions = versions == null ? List.of() : List.copyOf(versions);
            changes = changes == null ? List.of() : List.copyOf(changes);
            activations = activations == null ? List.of() : List.copyOf(activations);
        }
    }

    /** Writes a new version's model files into the folder given (a staging folder, renamed into place after). */
    @FunctionalInterface
    public interface VersionWriter {
        void write(Path dir) throws IOException;
    }

    private final Path dir;

    private ModelRegistry(Path dir) {
        this.dir = dir;
    }

    /** The registry of a model directory (which must hold a model). */
    public static ModelRegistry of(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new AnomalogException("model directory " + modelDir + " does not exist");
        }
        if (!Files.exists(modelDir.resolve(ModelManifest.FILE_NAME))) {
            throw new AnomalogException("no model in " + modelDir + ": " + ModelManifest.FILE_NAME + " is missing");
        }
        return new ModelRegistry(modelDir);
    }

    /** The directory of the active version of a model directory (the directory itself without versions). */
    public static Path activeDir(Path modelDir) {
        if (!Files.exists(modelDir.resolve(FILE))) {
            return modelDir;
        }
        return of(modelDir).dirOf(of(modelDir).state().active());
    }

    public Path dir() {
        return dir;
    }

    /** Whether updates have made versions here (the file exists). */
    public boolean hasVersions() {
        return Files.exists(dir.resolve(FILE));
    }

    /** The registry as it is on disk now. */
    public State state() {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            ModelManifest m = ModelManifest.read(dir);
            return new State(FORMAT_VERSION, FIRST, List.of(new Version(FIRST, null, m.createdAt(), m.method(),
                    List.of(), "trained", null)), List.of(), List.of(FIRST));
        }
        State s;
        try {
            s = Json.MAPPER.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            throw new AnomalogException("corrupt model registry " + file + ": " + firstLine(e));
        }
        if (s == null || s.formatVersion() < 1 || s.formatVersion() > FORMAT_VERSION) {
            throw new AnomalogException("model registry " + file + " has format version "
                    + (s == null ? "none" : s.formatVersion()) + "; this anomalog reads format " + FORMAT_VERSION
                    + ": use a matching anomalog");
        }
        if (s.active() == null || s.versions().stream().noneMatch(v -> v.name().equals(s.active()))) {
            throw new AnomalogException("corrupt model registry " + file + ": the active version '" + s.active()
                    + "' is not one of its versions");
        }
        return s;
    }

    public String active() {
        return state().active();
    }

    public List<Version> versions() {
        return state().versions();
    }

    public Version version(String name) {
        return state().versions().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new AnomalogException("model " + dir + " has no version '" + name + "'; it has "
                        + String.join(", ", state().versions().stream().map(Version::name).toList())));
    }

    /** The model directory of a version. */
    public Path dirOf(String name) {
        return FIRST.equals(name) ? dir : dir.resolve(VERSIONS).resolve(name);
    }

    /** Ids of every feedback record some version applied. */
    public Set<String> appliedFeedback() {
        Set<String> out = new LinkedHashSet<>();
        state().versions().forEach(v -> out.addAll(v.feedback()));
        return out;
    }

    /**
     * Adds the next version: {@code writer} writes its model files, the parent's {@link #INHERITED_FILES} are copied
     * beside them, and the folder is renamed into place before the registry names it.
     *
     * @param parent   the version it was made from
     * @param activate whether it becomes the active version
     */
    public Version add(String parent, String method, List<String> feedback, String note, Map<String, Object> report,
                       VersionWriter writer, boolean activate, String by) throws IOException {
        return locked(() -> {
            State s = state();
            version(parent);
            String name = "v" + (s.versions().stream().mapToInt(v -> number(v.name())).max().orElse(1) + 1);
            Path versions = dir.resolve(VERSIONS);
            Files.createDirectories(versions);
            Path staging = Files.createTempDirectory(versions, "." + name + "-");
            try {
                writer.write(staging);
                for (String f : INHERITED_FILES) {
                    Path from = dirOf(parent).resolve(f);
                    if (Files.exists(from) && !Files.exists(staging.resolve(f))) {
                        Files.copy(from, staging.resolve(f));
                    }
                }
                ModelManifest.read(staging);   // a version is only added whole
                Path target = versions.resolve(name);
                if (Files.exists(target)) {
                    Folders.deleteTree(target);   // left by a writer that died before naming it
                }
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(staging, target);
                }
            } finally {
                if (Files.exists(staging)) {
                    Folders.deleteTree(staging);
                }
            }
            Version v = new Version(name, parent, Instant.now().toString(), method, feedback, note, report);
            List<Version> all = new ArrayList<>(s.versions());
            all.add(v);
            List<Change> changes = new ArrayList<>(s.changes());
            changes.add(new Change(v.createdAt(), "create", name, parent, by));
            State next = new State(FORMAT_VERSION, s.active(), all, changes, s.activations());
            if (activate) {
                next = activated(next, name, "activate", by);
            }
            write(next);
            return v;
        });
    }

    /** Makes a version the active one. */
    public Version activate(String name, String by) throws IOException {
        return locked(() -> {
            State s = state();
            Version v = version(name);
            if (!name.equals(s.active())) {
                write(activated(s, name, "activate", by));
            }
            return v;
        });
    }

    /** Goes back to the version that was active before the present one. */
    public Version rollback(String by) throws IOException {
        return locked(() -> {
            State s = state();
            List<String> stack = new ArrayList<>(s.activations());
            if (stack.size() < 2) {
                throw new AnomalogException("model " + dir + " has no earlier active version to roll back to (active: "
                        + s.active() + ")");
            }
            stack.remove(stack.size() - 1);
            String back = stack.get(stack.size() - 1);
            List<Change> changes = new ArrayList<>(s.changes());
            changes.add(new Change(Instant.now().toString(), "rollback", back, s.active(), by));
            write(new State(FORMAT_VERSION, back, s.versions(), changes, stack));
            return version(back);
        });
    }

    private static State activated(State s, String name, String action, String by) {
        List<String> stack = new ArrayList<>(s.activations());
        stack.add(name);
        List<Change> changes = new ArrayList<>(s.changes());
        changes.add(new Change(Instant.now().toString(), action, name, s.active(), by));
        return new State(FORMAT_VERSION, name, s.versions(), changes, stack);
    }

    private void write(State s) throws IOException {
        AtomicFiles.writeJson(dir.resolve(FILE), s);
    }

    private static int number(String name) {
        try {
            return Integer.parseInt(name.substring(1));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Work done while holding the registry's lock. */
    @FunctionalInterface
    public interface Body<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code body} holding the registry's lock, so no other writer (in this process or another) changes it
     * meanwhile; the registry's own writes inside it take the lock again without waiting.
     */
    public <T> T locked(Body<T> body) throws IOException {
        ReentrantLock local = IN_PROCESS.computeIfAbsent(dir.toAbsolutePath().normalize(), p -> new ReentrantLock());
        local.lock();
        if (local.getHoldCount() > 1) {
            try {
                return body.run();
            } finally {
                local.unlock();
            }
        }
        try (FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
            return body.run();
        } finally {
            local.unlock();
        }
    }

    private static String firstLine(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
