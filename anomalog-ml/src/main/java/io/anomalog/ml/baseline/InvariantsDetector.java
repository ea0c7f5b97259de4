package io.anomalog.ml.baseline;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.features.EventCountMatrix;
import io.anomalog.core.session.Sequence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Invariant Mining detector (Lou et al., USENIX ATC 2010, as in loglizer's InvariantsMiner): sparse integer
 * linear relations between event counts that hold in normal sessions, e.g. count(open) - count(close) = 0. The
 * score is the summed absolute residual of all invariants; a sequence is anomalous when any invariant's residual
 * reaches epsilon.
 */
final class InvariantsDetector extends BaselineDetector {

    /**
     * One invariant: sum of coefficient x count(column) = 0.
     *
     * @param columns      count-vector columns (dense key indices, 0 = unknown keys)
     * @param coefficients integer coefficients, same length
     */
    record Invariant(int[] columns, int[] coefficients) {

        double residual(double[] counts) {
            double r = 0;
            for (int i = 0; i < columns.length; i++) {
                r += coefficients[i] * counts[columns[i]];
            }
            return r;
        }

        String describe(KeyVocabulary vocabulary) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < columns.length; i++) {
                int c = coefficients[i];
                sb.append(i == 0 ? (c < 0 ? "-" : "") : (c < 0 ? " - " : " + "));
                if (Math.abs(c) != 1) {
                    sb.append(Math.abs(c)).append('*');
                }
                sb.append("count(").append(EventCountMatrix.columnName(columns[i], vocabulary)).append(')');
            }
            return sb.append(" = 0").toString();
        }
    }

    /**
     * Saved parameters.
     *
     * @param invariants the mined invariants
     * @param epsilon    residual magnitude that counts as a violation
     * @param dimension  estimated dimension of the invariant space
     */
    record Parameters(List<Invariant> invariants, double epsilon, int dimension) {
    }

    private final Parameters p;
    private final KeyVocabulary vocabulary;

    InvariantsDetector(ModelManifest manifest, Parameters p) {
        super(manifest);
        this.p = p;
        this.vocabulary = manifest.keyVocabulary();
    }

    List<Invariant> invariants() {
        return p.invariants();
    }

    @Override
    public Verdict score(Sequence sequence) {
        double[] counts = EventCountMatrix.counts(sequence, vocabulary);
        double total = 0;
        int violated = 0;
        Invariant first = null;
        double firstResidual = 0;
        for (Invariant inv : p.invariants()) {
            double r = inv.residual(counts);
            total += Math.abs(r);
            if (Math.abs(r) >= p.epsilon()) {
                violated++;
                if (first == null) {
                    first = inv;
                    firstResidual = r;
                }
            }
        }
        String why = violated == 0 ? "all " + p.invariants().size() + " invariants hold"
                : String.format(Locale.ROOT, "%d of %d invariants violated, e.g. %s (residual %.0f)", violated,
                p.invariants().size(), first.describe(vocabulary), firstResidual);
        return new Verdict(sequence.id(), violated > 0, total, new BaselineExplanation(why, total, p.epsilon()));
    }

    @Override
    protected void writeParameters(Path modelDir) throws IOException {
        ModelFiles.writeParameters(modelDir, p);
    }
}
