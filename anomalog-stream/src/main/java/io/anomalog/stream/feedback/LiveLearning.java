package io.anomalog.stream.feedback;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Updatable;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.topology.LineEvents;
import io.anomalog.stream.topology.LiveModel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What a running detector needs to follow and feed its model folder, in one place for {@code stream},
 * {@code watch} and {@code demo}: a {@link LiveModel} watching the folder's active version (so an online update,
 * {@code anomalog model activate} or {@code rollback} reaches the topology without a restart) and, when the
 * model can learn from feedback and learning is on, the {@link OnlineUpdater} that turns false positives on
 * {@code anomalog.feedback} into new versions.
 */
public final class LiveLearning implements AutoCloseable {

    /** How often the model folder's registry is looked at. */
    public static final Duration POLL = Duration.ofMillis(500);

    private final Path modelDir;
    private final LiveModel model;
    private final boolean learns;
    private final Consumer<String> log;
    private OnlineUpdater updater;

    private LiveLearning(Path modelDir, LiveModel model, boolean learns, Consumer<String> log) {
        this.modelDir = modelDir;
        this.model = model;
        this.learns = learns;
        this.log = log;
    }

    /**
     * @param modelDir the model folder {@code first} was loaded from (its active version)
     * @param learn    whether to learn from feedback (the model must be {@link Updatable}; otherwise it is said once)
     */
    public static LiveLearning of(Path modelDir, Detector first, boolean learn, Consumer<String> log) {
        boolean learns = learn && first instanceof Updatable;
        if (learn && !learns) {
            log.accept(first.method() + " models cannot learn from feedback: online update is off");
        }
        return new LiveLearning(modelDir, LiveModel.watching(modelDir, first, POLL, log), learns, log);
    }

    /** The model the topology judges with. */
    public LiveModel model() {
        return model;
    }

    public boolean learns() {
        return learns;
    }

    /** Starts the online update (when it is on) once the detector runs; the metrics show the version. */
    public synchronized void start(KafkaConnection kafka, IngestPipeline pipeline, Duration settle,
                                   StreamMetrics metrics) {
        metrics.modelVersionSupplier(() -> model.current().version());
        if (learns && updater == null) {
            updater = new OnlineUpdater(kafka, modelDir, new LineEvents(pipeline), Updatable.Settings.defaults(),
                    settle, metrics, log).start();
        }
    }

    @Override
    public synchronized void close() {
        if (updater != null) {
            updater.close(); // an update in progress finishes writing its version first
        }
        model.close();
    }
}
