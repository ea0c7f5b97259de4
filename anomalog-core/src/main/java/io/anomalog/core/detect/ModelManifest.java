package io.anomalog.core.detect;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Version;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a model directory: what the model is and how it was made (provenance), written last
 * so a directory with a manifest is complete.
 *
 * @param formatVersion     layout version of the model directory; a newer one than this build knows is refused
 * @param method            the detection method (selects the {@link DetectorProvider} that loads it)
 * @param methodVersion     version of the method's own parameter files
 * @param anomalogVersion   the anomalog version that wrote it
 * @param createdAt         ISO-8601 time of writing
 * @param hyperParameters   every hyper-parameter value used, defaults included
 * @param vocabulary        raw log keys the model knows, in dense-index order (index i+1 = vocabulary[i])
 * @param templateStoreHash hash of the template store the keys came from, or null for key files
 * @param training          summary of the training data (source, sequences, events, time taken, seed)
 * @param metrics           validation figures recorded at training time
 * @param provenance        where the model came from: data sources, format, grouping, miner, build; null for
 *                          models written before it was recorded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(int formatVersion, String method, int methodVersion, String anomalogVersion,
                            String createdAt, Map<String, Object> hyperParameters, List<Integer> vocabulary,
                            String templateStoreHash, Map<String, Object> training, Map<String, Object> metrics,
                            Provenance provenance) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "manifest.json";

    public ModelManifest {
        hyperParameters = hyperParameters == null ? Map.of() : hyperParameters;
        vocabulary = vocabulary == null ? List.of() : vocabulary;
        training = training == null ? Map.of() : training;
        metrics = metrics == null ? Map.of() : metrics;
    }

    /**
     * A manifest for a model trained now by this build; the template store hash is the provenance's.
     *
     * @param provenance where the training data came from (null when the caller did not say: tests, ad-hoc fits)
     */
    public static ModelManifest create(String method, int methodVersion, Map<String, Object> hyperParameters,
                                       KeyVocabulary vocabulary, Provenance provenance,
                                       Map<String, Object> training, Map<String, Object> metrics) {
        return new ModelManifest(FORMAT_VERSION, method, methodVersion, Version.current(), Instant.now().toString(),
                hyperParameters, vocabulary == null ? List.of() : vocabulary.rawKeys(),
                provenance == null ? null : provenance.templateStoreHash(), training, metrics, provenance);
    }

    /** The same manifest with more facts about the training (e.g. the hash of the parameter file saved). */
    public ModelManifest withTraining(Map<String, Object> newTraining) {
        return new ModelManifest(formatVersion, method, methodVersion, anomalogVersion, createdAt, hyperParameters,
                vocabulary, templateStoreHash, newTraining, metrics, provenance);
    }

    public KeyVocabulary keyVocabulary() {
        return new KeyVocabulary(vocabulary);
    }

    public ModelManifest withMetrics(Map<String, Object> newMetrics) {
        return new ModelManifest(formatVersion, method, methodVersion, anomalogVersion, createdAt, hyperParameters,
                vocabulary, templateStoreHash, training, newMetrics, provenance);
    }

    public void write(Path modelDir) throws IOException {
        Files.createDirectories(modelDir);
        AtomicFiles.writeJson(modelDir.resolve(FILE_NAME), this);
    }

    /** Reads and checks a model directory's manifest; every problem is a message the user can act on. */
    public static ModelManifest read(Path modelDir) {
        Path file = modelDir.resolve(FILE_NAME);
        if (!Files.isDirectory(modelDir)) {
            throw new AnomalogException("model directory " + modelDir + " does not exist");
        }
        ModelManifest m;
        try {
            m = Json.MAPPER.readValue(file.toFile(), ModelManifest.class);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new AnomalogException("no model in " + modelDir + ": " + FILE_NAME + " is missing");
        } catch (IOException e) {
            throw new AnomalogException("corrupt model manifest " + file + ": " + describe(e), e);
        }
        if (m == null || m.method() == null) {
            throw new AnomalogException("corrupt model manifest " + file + ": no method named");
        }
        if (m.formatVersion() > FORMAT_VERSION || m.formatVersion() < 1) {
            throw new AnomalogException("model in " + modelDir + " has format version " + m.formatVersion()
                    + "; this anomalog (" + Version.current() + ") reads format " + FORMAT_VERSION
                    + ": retrain the model or use a matching anomalog");
        }
        return m;
    }

    /** Checks the method-specific version against what the loading code supports. */
    public void requireMethodVersion(int supported, Path modelDir) {
        if (methodVersion != supported) {
            throw new AnomalogException(method + " model in " + modelDir + " has version " + methodVersion
                    + "; this anomalog reads version " + supported + ": retrain the model");
        }
    }

    /** Checks that the model's keys came from the given template store (by hash), when both are known. */
    public void requireTemplateStore(String storeHash, Path modelDir) {
        if (templateStoreHash != null && storeHash != null && !templateStoreHash.equals(storeHash)) {
            throw new AnomalogException("model in " + modelDir + " was trained with template store "
                    + templateStoreHash + " but the given store is " + storeHash
                    + ": use the store saved with the model");
        }
    }

    private static String describe(IOException e) {
        String msg = e.getMessage();
        return msg == null ? e.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
    }
}
