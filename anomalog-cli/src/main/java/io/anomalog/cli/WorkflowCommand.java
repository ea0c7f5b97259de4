package io.anomalog.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.ml.deeplog.DeepLogModels;
import io.anomalog.ml.deeplog.workflow.Diagnosis;
import io.anomalog.ml.deeplog.workflow.Workflow;
import io.anomalog.ml.deeplog.workflow.WorkflowPicture;
import io.anomalog.ml.deeplog.workflow.Workflows;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code anomalog workflow -m MODEL}: draws the workflows kept with a DeepLog model, and where anomalies left them. */
@Command(name = "workflow", mixinStandardHelpOptions = true,
        description = "Draws the workflows of a DeepLog model as SVG (and PNG): the key model's workflow and one per "
                + "co-occurrence task; with --verdicts, one picture per diagnosed anomaly with its divergence in red.")
final class WorkflowCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR", description = "DeepLog model directory.")
    Path model;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Folder for the pictures (default: MODEL/workflows).")
    Path out;

    @Option(names = "--png", description = "Also write PNG images.")
    boolean png;

    @Option(names = "--verdicts", paramLabel = "FILE",
            description = "Verdicts as 'anomalog detect' writes them (JSON lines): draws each diagnosed anomaly.")
    Path verdicts;

    @Option(names = "--max", defaultValue = "20", description = "Most anomalies drawn (default: ${DEFAULT-VALUE}).")
    int max;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : model.resolve("workflows");
        Workflows w;
        try (Detector d = Detectors.load(model)) {
            if (!(d instanceof DeepLogModels m) || m.workflows() == null) {
                throw new AnomalogException(model + " has no workflows: train deeplog on raw text, or with "
                        + "-p workflows=true");
            }
            w = m.workflows();
        }
        Map<Integer, String> templates = templates(model);
        Files.createDirectories(dir);
        int written = draw(dir, "workflow-model", WorkflowPicture.of(w.model(), null, templates));
        for (Workflow t : w.tasks()) {
            written += draw(dir, "workflow-task-" + t.task(), WorkflowPicture.of(t, null, templates));
        }
        int anomalies = 0;
        if (verdicts != null) {
            ObjectMapper lenient = Json.MAPPER.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
            for (String line : Files.readAllLines(verdicts, StandardCharsets.UTF_8)) {
                if (line.isBlank() || anomalies >= max) {
                    continue;
                }
                JsonNode v = lenient.readTree(line);
                JsonNode diagnosis = find(v.path("explanation"));
                if (!v.path("anomalous").asBoolean() || diagnosis == null) {
                    continue;
                }
                Diagnosis dg = lenient.treeToValue(diagnosis, Diagnosis.class);
                Workflow on = dg.task() == w.model().task() ? w.model() : null;
                if (on == null) {
                    continue;
                }
                String id = v.path("sequenceId").asText().replaceAll("[^A-Za-z0-9_.-]", "_");
                written += draw(dir, "anomaly-" + id, WorkflowPicture.of(on, dg, templates));
                anomalies++;
            }
        }
        System.err.printf("anomalog: wrote %d picture(s) of %d workflow(s) and %d anomaly(ies) to %s%n", written,
                1 + w.tasks().size(), anomalies, dir);
        return 0;
    }

    /** The diagnosis in an explanation ({@code workflow} field), searched one level deep. */
    private static JsonNode find(JsonNode explanation) {
        JsonNode d = explanation.get("workflow");
        if (d != null && d.has("lastNormalState")) {
            return d;
        }
        for (Iterator<JsonNode> it = explanation.elements(); it.hasNext(); ) {
            JsonNode c = it.next();
            if (c.isObject() && c.has("workflow") && c.get("workflow").has("lastNormalState")) {
                return c.get("workflow");
            }
        }
        return null;
    }

    private int draw(Path dir, String name, WorkflowPicture p) throws IOException {
        AtomicFiles.write(dir.resolve(name + ".svg"), p.svg().getBytes(StandardCharsets.UTF_8));
        if (png) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            p.png(bytes);
            AtomicFiles.write(dir.resolve(name + ".png"), bytes.toByteArray());
            return 2;
        }
        return 1;
    }

    private static Map<Integer, String> templates(Path model) throws IOException {
        Map<Integer, String> out = new HashMap<>();
        Path file = model.resolve("templates.json");
        if (Files.exists(file)) {
            Map<?, ?> m = Json.MAPPER.readValue(file.toFile(), Map.class);
            m.forEach((k, v) -> out.put(Integer.parseInt(String.valueOf(k)), String.valueOf(v)));
        }
        return out;
    }
}
