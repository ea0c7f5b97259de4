package io.anomalog.stream.ship;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/** A glob such as {@code logs/*.log} or {@code /var/log/**}{@code /*.log}, resolved to the files it matches now. */
public final class FileGlob {

    private final String glob;
    private final Path base;
    private final PathMatcher matcher;
    private final int depth;

    public FileGlob(String glob) {
        Path abs = Path.of(glob).toAbsolutePath().normalize();
        this.glob = abs.toString();
        Path b = abs.getRoot();
        int i = 0;
        for (; i < abs.getNameCount(); i++) {
            String part = abs.getName(i).toString();
            if (part.matches(".*[*?\\[{].*")) {
                break;
            }
            b = b.resolve(part);
        }
        this.base = i == abs.getNameCount() ? b.getParent() : b;
        this.depth = this.glob.contains("**") ? Integer.MAX_VALUE : abs.getNameCount() - base.getNameCount();
        this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + this.glob);
    }

    public String pattern() {
        return glob;
    }

    /** The regular files matching now, sorted by name. */
    public List<Path> files() throws IOException {
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(base, depth)) {
            return s.filter(p -> matcher.matches(p) && Files.isRegularFile(p)).sorted().toList();
        } catch (java.io.UncheckedIOException e) {
            // A file vanished during the walk (rotation): the next scan sees the new state.
            return List.of();
        }
    }
}
