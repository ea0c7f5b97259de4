package io.anomalog.ml.deeplog;

import com.fasterxml.jackson.core.type.TypeReference;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Registers DeepLog's log-key model as method {@code deeplog}. */
public final class DeepLogProvider implements DetectorProvider {

    public static final String METHOD = "deeplog";

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public String description() {
        return "DeepLog log-key LSTM (Du et al., CCS 2017): flags events whose key is not in the top-g predictions";
    }

    @Override
    public boolean supervised() {
        return false;
    }

    @Override
    public Trainer trainer(Params params) {
        return new DeepLogTrainer(params);
    }

    @Override
    public Detector load(Path modelDir, ModelManifest manifest) throws IOException {
        manifest.requireMethodVersion(DeepLogDetector.METHOD_VERSION, modelDir);
        DeepLogConfig config;
        try {
            config = DeepLogConfig.fromManifest(manifest.hyperParameters());
        } catch (AnomalogException e) {
            throw new AnomalogException("corrupt deeplog manifest in " + modelDir + ": " + e.getMessage(), e);
        }
        if (manifest.vocabulary().isEmpty()) {
            throw new AnomalogException("corrupt deeplog manifest in " + modelDir + ": the vocabulary is empty");
        }
        Path paramsFile = modelDir.resolve(DeepLogDetector.PARAMETERS_FILE);
        byte[] parameters;
        try {
            parameters = Files.readAllBytes(paramsFile);
        } catch (NoSuchFileException e) {
            throw new AnomalogException("incomplete deeplog model in " + modelDir + ": "
                    + DeepLogDetector.PARAMETERS_FILE + " is missing");
        }
        Object expected = manifest.training().get("parametersSha256");
        if (expected != null && !expected.equals(ModelFiles.sha256(parameters))) {
            throw new AnomalogException("corrupt deeplog model in " + modelDir + ": "
                    + DeepLogDetector.PARAMETERS_FILE + " does not match the checksum in its manifest");
        }
        Map<Integer, String> templates = new HashMap<>();
        Path templatesFile = modelDir.resolve(DeepLogDetector.TEMPLATES_FILE);
        if (Files.exists(templatesFile)) {
            try {
                Map<String, String> byKey = Json.MAPPER.readValue(templatesFile.toFile(),
                        new TypeReference<Map<String, String>>() {
                        });
                byKey.forEach((k, v) -> templates.put(Integer.parseInt(k), v));
            } catch (IOException | NumberFormatException e) {
                throw new AnomalogException("corrupt " + DeepLogDetector.TEMPLATES_FILE + " in " + modelDir + ": "
                        + e.getMessage(), e);
            }
        }
        DeepLogDetector keys = DeepLogDetector.of(config, manifest.keyVocabulary(), templates, parameters, manifest,
                ReplaySample.load(modelDir, config.history()));
        boolean hasParameters = io.anomalog.ml.deeplog.parameter.ParameterModel.present(modelDir);
        boolean hasWorkflows = io.anomalog.ml.deeplog.workflow.Workflows.present(modelDir);
        if (!hasParameters && !hasWorkflows) {
            return keys;
        }
        try {
            return new DeepLogModels(keys,
                    hasParameters ? io.anomalog.ml.deeplog.parameter.ParameterModel.load(modelDir, templates) : null,
                    hasWorkflows ? io.anomalog.ml.deeplog.workflow.Workflows.load(modelDir) : null);
        } catch (IOException | RuntimeException e) {
            keys.close();
            throw e;
        }
    }
}
