package io.anomalog.ml.attgru;

import com.fasterxml.jackson.core.type.TypeReference;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Json;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.TemplateTexts;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * A trained window classifier (ATT-GRU and its ablations, or the one-hot LSTM classifier). Each session is cut
 * into windows ({@link SessionWindows}); identical windows are scored once, in batches, by several Java threads
 * (one PyTorch thread each); the session's score is its highest window probability and it is anomalous when
 * that reaches the threshold. The verdict explains the deciding window with its attention weights.
 */
public final class WindowClassifierDetector implements Detector {

    /**
     * Version of the files this class writes next to the manifest. 2: windows carry any number of event
     * attributes, and the decision threshold is stored as log-odds.
     */
    public static final int METHOD_VERSION = 2;
    static final String PARAMETERS_FILE = "parameters.bin";
    static final String TEMPLATES_FILE = "templates.json";

    private static final int SCORE_BATCH = 512;

    private final ModelManifest manifest;
    private final WindowModel model;
    private final SessionWindows windows;
    private final TemplateTexts templates;
    private final double thresholdLogOdds;
    private final KeyVocabulary vocabulary;

    /**
     * @param thresholdLogOdds a session is anomalous when the anomaly log-odds of its deciding window reaches
     *                         this (compared in log-odds so that thresholds near 0 or 1 keep their precision)
     */
    WindowClassifierDetector(ModelManifest manifest, WindowModel model, KeyVocabulary vocabulary,
                             EventAttributes attributes, TemplateTexts templates, double thresholdLogOdds) {
        this.manifest = manifest;
        this.model = model;
        this.vocabulary = vocabulary;
        Architecture arch = model.architecture();
        if (attributes.count() != arch.attributeRows().size()) {
            throw new IllegalArgumentException(attributes.count() + " attributes for an architecture with "
                    + arch.attributeRows().size());
        }
        this.windows = new SessionWindows(vocabulary, arch.window(), arch.paddingIndex(), attributes);
        this.templates = templates;
        this.thresholdLogOdds = thresholdLogOdds;
    }

    @Override
    public String method() {
        return manifest.method();
    }

    /** The decision threshold as a probability. */
    public double threshold() {
        return probability(thresholdLogOdds);
    }

    private static double probability(double logOdds) {
        return 1 / (1 + Math.exp(-logOdds));
    }

    WindowModel model() {
        return model;
    }

    @Override
    public Verdict score(Sequence sequence) {
        return scoreAll(List.of(sequence)).get(0);
    }

    @Override
    public List<Verdict> scoreAll(List<Sequence> sequences) {
        Map<SessionWindows.Key, Integer> unique = new HashMap<>();
        List<int[]> distinct = new ArrayList<>();
        int[][] windowIds = new int[sequences.size()][];
        for (int s = 0; s < sequences.size(); s++) {
            List<int[]> ws = windows.windows(sequences.get(s));
            int[] ids = new int[ws.size()];
            for (int i = 0; i < ids.length; i++) {
                int[] w = ws.get(i);
                ids[i] = unique.computeIfAbsent(new SessionWindows.Key(w), k -> {
                    distinct.add(w);
                    return distinct.size() - 1;
                });
            }
            windowIds[s] = ids;
        }
        float[] logOdds = new float[distinct.size()];
        float[][] weights = new float[distinct.size()][];
        int batches = (distinct.size() + SCORE_BATCH - 1) / SCORE_BATCH;
        IntStream.range(0, batches).parallel().forEach(b -> {
            int from = b * SCORE_BATCH;
            int to = Math.min(distinct.size(), from + SCORE_BATCH);
            WindowModel.Scores sc = model.score(distinct.subList(from, to).toArray(new int[0][]));
            System.arraycopy(sc.logOdds(), 0, logOdds, from, to - from);
            System.arraycopy(sc.weights(), 0, weights, from, to - from);
        });
        List<Verdict> out = new ArrayList<>(sequences.size());
        for (int s = 0; s < sequences.size(); s++) {
            int[] ids = windowIds[s];
            int top = 0;
            for (int i = 1; i < ids.length; i++) {
                if (logOdds[ids[i]] > logOdds[ids[top]]) {
                    top = i;
                }
            }
            int id = ids[top];
            double p = probability(logOdds[id]);
            out.add(new Verdict(sequences.get(s).id(), logOdds[id] >= thresholdLogOdds, p,
                    explain(distinct.get(id), top, ids.length, weights[id], p)));
        }
        return out;
    }

    /** Number of distinct windows of the sequences, for throughput reports. */
    public long distinctWindows(List<Sequence> sequences) {
        java.util.HashSet<SessionWindows.Key> set = new java.util.HashSet<>();
        for (Sequence s : sequences) {
            for (int[] w : windows.windows(s)) {
                set.add(new SessionWindows.Key(w));
            }
        }
        return set.size();
    }

    /** Total number of windows of the sequences (before de-duplication). */
    public long windowCount(List<Sequence> sequences) {
        long n = 0;
        for (Sequence s : sequences) {
            n += windows.windowCount(s);
        }
        return n;
    }

    private WindowExplanation explain(int[] encoded, int position, int count, float[] w, double p) {
        int[] keys = windows.rawKeys(encoded);
        List<String> texts = new ArrayList<>(keys.length);
        for (int k : keys) {
            texts.add(k < 0 ? null : templates.text(k));
        }
        return new WindowExplanation(position, count, keys, texts, w, p);
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    @Override
    public void save(Path modelDir) throws IOException {
        Files.createDirectories(modelDir);
        AtomicFiles.write(modelDir.resolve(PARAMETERS_FILE), model.parameters());
        Map<String, String> known = new TreeMap<>();
        for (int key : vocabulary.rawKeys()) {
            String t = templates.text(key);
            if (t != null) {
                known.put(Integer.toString(key), t);
            }
        }
        AtomicFiles.writeJson(modelDir.resolve(TEMPLATES_FILE), known);
        manifest.write(modelDir);
    }

    /** Loads a model directory written by {@link #save}. */
    static WindowClassifierDetector load(Path dir, ModelManifest manifest) throws IOException {
        manifest.requireMethodVersion(METHOD_VERSION, dir);
        Map<String, Object> hp = manifest.hyperParameters();
        Architecture arch;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> a = (Map<String, Object>) hp.get("architecture");
            arch = Architecture.fromMap(a);
        } catch (RuntimeException e) {
            throw new AnomalogException("corrupt " + manifest.method() + " model in " + dir
                    + ": architecture missing or invalid in the manifest");
        }
        Path params = dir.resolve(PARAMETERS_FILE);
        if (!Files.isRegularFile(params)) {
            throw new AnomalogException("incomplete model in " + dir + ": " + PARAMETERS_FILE + " is missing");
        }
        boolean learned = "learned".equals(hp.get("resolvedVectors"));
        WindowModel model;
        try {
            model = WindowModel.fromParameters(arch, learned, Files.readAllBytes(params));
        } catch (IllegalArgumentException e) {
            throw new AnomalogException("corrupt model parameters in " + params + ": " + e.getMessage());
        }
        Map<Integer, String> texts = new LinkedHashMap<>();
        Path tf = dir.resolve(TEMPLATES_FILE);
        if (Files.isRegularFile(tf)) {
            Map<String, String> m = Json.MAPPER.readValue(tf.toFile(), new TypeReference<Map<String, String>>() {
            });
            m.forEach((k, v) -> texts.put(Integer.parseInt(k), v));
        }
        EventAttributes attributes;
        try {
            @SuppressWarnings("unchecked")
            Map<String, ?> av = (Map<String, ?>) hp.get("attributeValues");
            attributes = EventAttributes.fromMap(av);
        } catch (ClassCastException e) {
            model.close();
            throw new AnomalogException("corrupt " + manifest.method() + " model in " + dir
                    + ": attributeValues is not a map of attribute values");
        }
        if (!(hp.get("thresholdLogOdds") instanceof Number threshold)
                || attributes.count() != arch.attributeRows().size()) {
            model.close();
            throw new AnomalogException("corrupt " + manifest.method() + " model in " + dir
                    + ": the threshold or the attributes in the manifest do not fit the architecture");
        }
        return new WindowClassifierDetector(manifest, model, manifest.keyVocabulary(), attributes,
                new TemplateTexts(texts), threshold.doubleValue());
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return method() + Arrays.toString(new Object[]{model.architecture()});
    }
}
