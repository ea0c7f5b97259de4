package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.Provenance;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Trainer} for a classic method: checks the training data (unsupervised methods keep the sequences not
 * labelled anomalous, supervised ones need both labels), times the fit and hands a training summary to the fit.
 */
final class BaselineTrainer implements Trainer {

    /** The method-specific fit. */
    @FunctionalInterface
    interface Fit {
        Detector fit(List<Sequence> training, KeyVocabulary vocabulary, Summary summary, Progress progress);
    }

    /** What the manifest will say about the training: facts the fit adds, and where the data came from. */
    static final class Summary {
        private final Map<String, Object> facts = new LinkedHashMap<>();
        private final Provenance provenance;

        Summary(Provenance provenance) {
            this.provenance = provenance;
        }

        void put(String name, Object value) {
            facts.put(name, value);
        }

        Map<String, Object> facts() {
            return facts;
        }

        Provenance provenance() {
            return provenance;
        }
    }

    private final String method;
    private final boolean supervised;
    private final Fit fit;
    private Provenance provenance;

    BaselineTrainer(String method, boolean supervised, Fit fit) {
        this.method = method;
        this.supervised = supervised;
        this.fit = fit;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public boolean supervised() {
        return supervised;
    }

    @Override
    public Trainer withProvenance(Provenance p) {
        this.provenance = p;
        return this;
    }

    @Override
    public Detector fit(List<Sequence> training, KeyVocabulary vocabulary, Progress progress) {
        List<Sequence> used = supervised ? training.stream().filter(s -> s.label().isKnown()).toList()
                : training.stream().filter(s -> s.label() != Label.ANOMALOUS).toList();
        long anomalous = used.stream().filter(s -> s.label() == Label.ANOMALOUS).count();
        if (used.isEmpty()) {
            throw new AnomalogException(method + ": no training sequences"
                    + (supervised ? " with a known label" : " that are not labelled anomalous"));
        }
        if (supervised && (anomalous == 0 || anomalous == used.size())) {
            throw new AnomalogException(method + " is supervised and needs normal and anomalous training sequences; got "
                    + (used.size() - anomalous) + " normal and " + anomalous + " anomalous");
        }
        Summary summary = new Summary(provenance);
        summary.put("sequences", used.size());
        summary.put("anomalous", anomalous);
        summary.put("events", used.stream().mapToLong(Sequence::length).sum());
        long start = System.nanoTime();
        progress.start("training " + method, -1);
        Detector d = fit.fit(used, vocabulary, summary, progress);
        progress.finish();
        summary.put("seconds", (System.nanoTime() - start) / 1e9);
        return d;
    }
}
