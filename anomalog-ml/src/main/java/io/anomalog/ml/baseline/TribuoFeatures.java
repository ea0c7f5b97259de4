package io.anomalog.ml.baseline;

import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.util.AnomalogException;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bridges feature vectors to Tribuo: examples with one named feature per non-zero column plus a constant
 * {@code bias} feature (a session whose weighted vector is all zero, e.g. only keys that occur everywhere, is
 * still a valid example), datasets, and model files in Tribuo's protobuf format.
 */
final class TribuoFeatures {

    static final String MODEL_FILE = "model.tribuo";

    private TribuoFeatures() {
    }

    static String name(int column) {
        return String.format(Locale.ROOT, "c%05d", column);
    }

    static <T extends Output<T>> Example<T> example(T output, double[] x) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int j = 0; j < x.length; j++) {
            if (x[j] != 0) {
                names.add(name(j));
                values.add(x[j]);
            }
        }
        names.add("bias");
        values.add(1.0);
        return new ArrayExample<>(output, names.toArray(String[]::new),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static <T extends Output<T>> MutableDataset<T> dataset(List<Example<T>> examples, OutputFactory<T> factory) {
        var provenance = new SimpleDataSourceProvenance("anomalog training sequences", factory);
        return new MutableDataset<>(new ListDataSource<>(examples, factory, provenance));
    }

    static void write(Path modelDir, Model<?> model) throws IOException {
        Files.createDirectories(modelDir);
        AtomicFiles.write(modelDir.resolve(MODEL_FILE), out -> model.serialize().writeTo(out));
    }

    @SuppressWarnings("unchecked")
    static <T extends Output<T>> Model<T> read(Path modelDir, Class<T> outputType) {
        Path file = modelDir.resolve(MODEL_FILE);
        if (!Files.isRegularFile(file)) {
            throw new AnomalogException("model directory " + modelDir + " has a manifest but no " + MODEL_FILE);
        }
        try (InputStream in = Files.newInputStream(file)) {
            Model<?> m = Model.deserialize(ModelProto.parseFrom(in));
            if (!m.validate(outputType)) {
                throw new AnomalogException("model file " + file + " holds a model of another output type");
            }
            return (Model<T>) m;
        } catch (IOException | RuntimeException e) {
            if (e instanceof AnomalogException a) {
                throw a;
            }
            throw new AnomalogException("corrupt model file " + file + ": " + e.getMessage(), e);
        }
    }
}
