package io.anomalog.ml.baseline;

import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading and writing the parameter file of a classic model directory ({@code model.json}). */
final class ModelFiles {

    static final String PARAMETERS = "model.json";

    private ModelFiles() {
    }

    static void writeParameters(Path modelDir, Object parameters) throws IOException {
        Files.createDirectories(modelDir);
        AtomicFiles.writeJson(modelDir.resolve(PARAMETERS), parameters);
    }

    static <T> T readParameters(Path modelDir, Class<T> type) {
        Path file = modelDir.resolve(PARAMETERS);
        if (!Files.isRegularFile(file)) {
            throw new AnomalogException("model directory " + modelDir + " has a manifest but no " + PARAMETERS);
        }
        try {
            T value = Json.MAPPER.readValue(file.toFile(), type);
            if (value == null) {
                throw new AnomalogException("corrupt model file " + file + ": empty");
            }
            return value;
        } catch (IOException e) {
            throw new AnomalogException("corrupt model file " + file + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }
}
