package io.anomalog.core.data;

import io.anomalog.core.util.AnomalogException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The public datasets folder given by {@code --data} (default {@code ../shared/datasets}); see its README for
 * what each file is. Every lookup fails with a message naming the missing file and the folder searched.
 */
public record DataDir(Path root) {

    public static final String DEFAULT = "../shared/datasets";

    public static DataDir of(Path root) {
        if (!Files.isDirectory(root)) {
            throw new AnomalogException("dataset folder " + root.toAbsolutePath().normalize()
                    + " does not exist; pass --data DIR pointing at the public datasets");
        }
        return new DataDir(root);
    }

    /** A file that must exist, by path relative to the dataset folder. */
    public Path file(String relative) {
        Path p = root.resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new AnomalogException("dataset file " + relative + " not found under " + root.toAbsolutePath().normalize());
        }
        return p;
    }

    public boolean has(String relative) {
        return Files.exists(root.resolve(relative));
    }
}
