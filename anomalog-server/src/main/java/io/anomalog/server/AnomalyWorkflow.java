package io.anomalog.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.ModelRegistry;
import io.anomalog.core.io.Json;
import io.anomalog.ml.deeplog.DeepLogProvider;
import io.anomalog.ml.deeplog.workflow.Diagnosis;
import io.anomalog.ml.deeplog.workflow.Workflow;
import io.anomalog.ml.deeplog.workflow.WorkflowPicture;
import io.anomalog.ml.deeplog.workflow.Workflows;
import io.anomalog.stream.topology.AnomalyRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The workflow picture of one anomaly: the workflow kept with the model version that flagged it, with where the
 * session left it marked. The diagnosis is the one the record carries (DeepLog with workflows attaches it to its
 * explanation); a record without one is diagnosed again from its keys on the key model's workflow. Only the model
 * directory's files are read (the workflows and the templates), not the model itself.
 */
final class AnomalyWorkflow {

    private static final ObjectMapper LENIENT = Json.MAPPER.copy()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private AnomalyWorkflow() {
    }

    /** The picture as SVG; a {@link ConsoleServer.ApiError} 404 saying why when there is none. */
    static String svg(AnomalyRecord a, ModelRegistry registry) throws IOException {
        if (!DeepLogProvider.METHOD.equals(a.method())) {
            throw new ConsoleServer.ApiError(404, "anomaly " + a.id() + " was found by " + a.method()
                    + "; workflow pictures are drawn for " + DeepLogProvider.METHOD + " anomalies only");
        }
        Path dir = versionDir(a, registry);
        ModelManifest m = ModelManifest.read(dir);
        if (!DeepLogProvider.METHOD.equals(m.method())) {
            throw new ConsoleServer.ApiError(404, "model version " + a.modelVersion() + " is a " + m.method()
                    + " model; workflow pictures are drawn for " + DeepLogProvider.METHOD + " models only");
        }
        if (!Workflows.present(dir)) {
            throw new ConsoleServer.ApiError(404, "model version " + a.modelVersion() + " has no workflows (a "
                    + DeepLogProvider.METHOD + " model trained on raw text, or with -p workflows=true, has them)");
        }
        Workflows w = Workflows.load(dir);
        Map<Integer, String> templates = templates(dir);
        if (a.unknownTemplates() != null) {
            a.unknownTemplates().forEach(templates::putIfAbsent); // keys the model never saw, named by their text
        }
        Diagnosis d = carried(a);
        Workflow on = d == null ? null : workflowOf(w, d.task());
        if (on == null) {
            on = w.model();
            d = a.keys() == null ? null : Diagnosis.of(on, a.keys(), firstUnexpected(a));
        }
        return WorkflowPicture.of(on, d, templates).svg();
    }

    /** The folder of the version that flagged the anomaly: its registry name, or the {@code method@createdAt} of a fixed model. */
    private static Path versionDir(AnomalyRecord a, ModelRegistry registry) {
        String v = a.modelVersion();
        if (v == null) {
            throw new ConsoleServer.ApiError(404, "anomaly " + a.id() + " does not name the model version that flagged it");
        }
        List<ModelRegistry.Version> versions = registry.state().versions();
        for (ModelRegistry.Version x : versions) {
            Path dir = registry.dirOf(x.name());
            if (x.name().equals(v) && Files.exists(dir.resolve(ModelManifest.FILE_NAME))) {
                return dir;
            }
        }
        for (ModelRegistry.Version x : versions) { // a stream of a fixed model names it by its manifest
            Path dir = registry.dirOf(x.name());
            if (v.contains("@") && Files.exists(dir.resolve(ModelManifest.FILE_NAME))) {
                ModelManifest m = ModelManifest.read(dir);
                if ((m.method() + "@" + m.createdAt()).equals(v)) {
                    return dir;
                }
            }
        }
        throw new ConsoleServer.ApiError(404, "the model directory of this console has no version '"
                + ConsoleServer.clip(v) + "' (the version that flagged anomaly " + a.id() + ")");
    }

    private static Workflow workflowOf(Workflows w, int task) {
        if (w.model().task() == task) {
            return w.model();
        }
        return w.tasks().stream().filter(t -> t.task() == task).findFirst().orElse(null);
    }

    /** The diagnosis in the record's explanation ({@code workflow}, at its top or one level down), or null. */
    private static Diagnosis carried(AnomalyRecord a) {
        if (a.explanation() == null) {
            return null;
        }
        JsonNode x = LENIENT.valueToTree(a.explanation());
        JsonNode found = isDiagnosis(x.get("workflow")) ? x.get("workflow") : null;
        for (Iterator<JsonNode> it = x.elements(); found == null && it.hasNext(); ) {
            JsonNode c = it.next();
            if (c.isObject() && isDiagnosis(c.get("workflow"))) {
                found = c.get("workflow");
            }
        }
        if (found == null) {
            return null;
        }
        try {
            Diagnosis d = LENIENT.treeToValue(found, Diagnosis.class);
            return d.expectedNext() == null ? null : d;
        } catch (IOException | IllegalArgumentException e) {
            return null; // drawn from the keys instead
        }
    }

    private static boolean isDiagnosis(JsonNode n) {
        return n != null && n.isObject() && n.has("task") && n.has("lastNormalState") && n.has("expectedNext");
    }

    /** 0-based position of the key model's first failed prediction in the explanation, or -1. */
    private static int firstUnexpected(AnomalyRecord a) {
        if (a.explanation() == null) {
            return -1;
        }
        JsonNode x = LENIENT.valueToTree(a.explanation());
        JsonNode events = x.has("events") ? x.get("events") : x.path("model").get("events");
        if (events != null && events.isArray() && !events.isEmpty() && events.get(0).path("position").isInt()) {
            return Math.max(0, events.get(0).get("position").asInt() - 1);
        }
        return -1;
    }

    private static Map<Integer, String> templates(Path dir) throws IOException {
        Map<Integer, String> out = new HashMap<>();
        Path file = dir.resolve("templates.json");
        if (Files.exists(file)) {
            Map<?, ?> m = Json.MAPPER.readValue(file.toFile(), Map.class);
            m.forEach((k, v) -> {
                try {
                    out.put(Integer.parseInt(String.valueOf(k)), String.valueOf(v));
                } catch (NumberFormatException e) {
                    // not a key: left out
                }
            });
        }
        return out;
    }
}
