package io.anomalog.stream.ship;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shipper's registry file (like Filebeat's registry): for every file it reads, the file's identity, path and
 * the byte offset up to which the broker has acknowledged its entries. Written atomically, with a format version.
 */
public final class OffsetRegistry {

    public static final int FORMAT_VERSION = 1;

    /** Where one file stands. */
    public record FileState(@JsonProperty("fileKey") String fileKey, @JsonProperty("path") String path,
                            @JsonProperty("offset") long offset) {
    }

    record Document(@JsonProperty("formatVersion") int formatVersion, @JsonProperty("host") String host,
                    @JsonProperty("files") List<FileState> files) {
    }

    private final Path file;
    private final String host;
    private final Map<String, FileState> states = new LinkedHashMap<>();

    private OffsetRegistry(Path file, String host) {
        this.file = file;
        this.host = host;
    }

    /** Loads the registry, or starts an empty one when the file does not exist yet. */
    public static OffsetRegistry open(Path file, String host) {
        OffsetRegistry r = new OffsetRegistry(file, host);
        if (Files.exists(file)) {
            Document d;
            try {
                d = Json.MAPPER.readValue(file.toFile(), Document.class);
            } catch (IOException e) {
                throw new AnomalogException("corrupt shipper registry " + file + ": " + e.getMessage());
            }
            if (d.formatVersion() != FORMAT_VERSION) {
                throw new AnomalogException("shipper registry " + file + " has format version " + d.formatVersion()
                        + "; this anomalog reads version " + FORMAT_VERSION);
            }
            if (d.host() != null && !d.host().equals(host)) {
                throw new AnomalogException("shipper registry " + file + " belongs to host " + d.host()
                        + ", not " + host + ": give each host its own registry");
            }
            if (d.files() != null) {
                d.files().forEach(s -> r.states.put(s.fileKey(), s));
            }
        }
        return r;
    }

    public FileState get(String fileKey) {
        return states.get(fileKey);
    }

    public void put(FileState state) {
        states.put(state.fileKey(), state);
    }

    public void remove(String fileKey) {
        states.remove(fileKey);
    }

    public Collection<FileState> all() {
        return List.copyOf(states.values());
    }

    public Path file() {
        return file;
    }

    public void save() throws IOException {
        AtomicFiles.writeJson(file, new Document(FORMAT_VERSION, host, new ArrayList<>(states.values())));
    }
}
