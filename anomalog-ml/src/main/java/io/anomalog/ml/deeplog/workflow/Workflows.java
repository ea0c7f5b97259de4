package io.anomalog.ml.deeplog.workflow;

import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The workflows kept with a DeepLog model: the one the key model predicts (all keys) and one per task found by
 * co-occurrence clustering.
 *
 * @param formatVersion  {@link #FORMAT_VERSION}
 * @param minProbability the prediction probability an edge of the key model's workflow needed
 * @param eps            the clustering's distance bound (1 - Jaccard)
 * @param model          the key model's workflow
 * @param tasks          the co-occurrence tasks' workflows
 */
public record Workflows(int formatVersion, double minProbability, double eps, Workflow model, List<Workflow> tasks) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE = "deeplog-workflows.json";

    public Workflows {
        tasks = List.copyOf(tasks);
    }

    /** The task workflow holding a key, or null. */
    public Workflow taskOf(int key) {
        return tasks.stream().filter(w -> w.contains(key)).findFirst().orElse(null);
    }

    public void save(Path modelDir) throws IOException {
        Files.createDirectories(modelDir);
        AtomicFiles.writeJson(modelDir.resolve(FILE), this);
    }

    public static boolean present(Path modelDir) {
        return Files.exists(modelDir.resolve(FILE));
    }

    public static Workflows load(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        try {
            Map<?, ?> raw = Json.MAPPER.readValue(file.toFile(), Map.class);
            Object v = raw.get("formatVersion");
            if (!(v instanceof Number n) || n.intValue() != FORMAT_VERSION) {
                throw new AnomalogException(FILE + " in " + modelDir + " has format version " + v
                        + "; this anomalog reads version " + FORMAT_VERSION + " (train the model again)");
            }
            return Json.MAPPER.convertValue(raw, Workflows.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new AnomalogException("corrupt " + FILE + " in " + modelDir + ": " + e.getMessage(), e);
        }
    }
}
