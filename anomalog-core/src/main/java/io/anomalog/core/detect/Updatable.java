package io.anomalog.core.detect;

import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;

import java.util.List;
import java.util.Map;

/**
 * A detector that learns from feedback instead of being retrained (DeepLog's online update): given sessions a
 * person marked as false positives, it makes a new model that judges them, and sessions like them, normal, while
 * keeping what it knew. {@link ModelUpdate} drives it and checks the result against the confirmed anomalies.
 */
public interface Updatable extends Detector {

    /**
     * How far an update goes.
     *
     * @param minSteps     optimiser steps at least, even when the marked sessions pass at once (a key just added
     *                     may pass the rule by the chance of its fresh weights; these steps make it learned)
     * @param maxSteps     optimiser steps at most; an update stops earlier once every marked session is normal
     * @param replayBatch  training windows replayed beside the marked ones in each step
     * @param learningRate step size; 0 for the one the model was trained with
     * @param seed         seed of the replay draws
     */
    record Settings(int minSteps, int maxSteps, int replayBatch, double learningRate, long seed) {
        public static Settings defaults() {
            return new Settings(30, 300, 512, 0, 42);
        }
    }

    /**
     * The result: a new detector (this one is unchanged) and figures of the update (sessions and windows learned,
     * keys added, steps, seconds, forgetting measured on a replay sample of the training data).
     */
    record Updated(Detector detector, Map<String, Object> report) {
    }

    /**
     * Learns that these sequences are normal.
     *
     * @param normal     the false positives (with their events when the model reads parameters)
     * @param provenance the new version's provenance: the parent's, with the update's lineage
     */
    Updated learnNormal(List<Sequence> normal, Provenance provenance, Settings settings, Progress progress);
}
