package io.anomalog.core.detect;

import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Progress;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One update of a model from feedback, online or offline: the active version learns the false positives not
 * applied yet ({@link Updatable#learnNormal}), the result is checked against the confirmed anomalies (regression
 * cases), and written as the next version of the {@link ModelRegistry}. An update that would judge a confirmed
 * anomaly normal is written but held back (not made active) unless forced, and the outcome says which.
 */
public final class ModelUpdate {

    /** A session with the id of the feedback that named it (its anomaly id). */
    public record Case(String id, Sequence sequence) {
    }

    /**
     * What an update did.
     *
     * @param version      the version written, or null when nothing was new
     * @param activated    whether it became the active version
     * @param regressed    ids of confirmed anomalies the new version judges normal (the reason it was held)
     * @param stillFlagged ids of false positives the new version still judges anomalous
     * @param skipped      ids of false positives some version had applied already
     */
    public record Outcome(ModelRegistry.Version version, boolean activated, List<String> regressed,
                          List<String> stillFlagged, List<String> skipped) {
        public String summary() {
            if (version == null) {
                return "nothing to learn: every false positive was applied already (" + skipped.size() + ")";
            }
            String s = version.name() + " from " + version.parent() + ": learned " + version.feedback().size()
                    + " false positive(s)" + (stillFlagged.isEmpty() ? "" : ", " + stillFlagged.size() + " still flagged");
            if (!regressed.isEmpty()) {
                s += activated ? "; forced although it turns " + regressed.size() + " confirmed anomaly(ies) normal"
                        : "; held back: it would turn " + regressed.size() + " confirmed anomaly(ies) normal "
                        + regressed + " (activate it with anomalog model activate " + version.name() + ")";
            }
            return s;
        }
    }

    private ModelUpdate() {
    }

    /**
     * Updates the active version of a registry.
     *
     * @param falsePositives sessions marked normal (those applied by an earlier version are skipped)
     * @param confirmed      confirmed anomalies, which the new version must still flag
     * @param force          make it active even when it turns a confirmed anomaly normal
     */
    public static Outcome apply(ModelRegistry registry, List<Case> falsePositives, List<Case> confirmed,
                                boolean force, String by, Updatable.Settings settings, Progress progress)
            throws IOException {
        // under the lock: two detector instances given the same feedback make one version, not two
        return registry.locked(() -> applyLocked(registry, falsePositives, confirmed, force, by, settings, progress));
    }

    private static Outcome applyLocked(ModelRegistry registry, List<Case> falsePositives, List<Case> confirmed,
                                       boolean force, String by, Updatable.Settings settings, Progress progress)
            throws IOException {
        Set<String> applied = registry.appliedFeedback();
        List<Case> fresh = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Case c : falsePositives) {
            if (applied.contains(c.id()) || fresh.stream().anyMatch(f -> f.id().equals(c.id()))) {
                skipped.add(c.id());
            } else {
                fresh.add(c);
            }
        }
        if (fresh.isEmpty()) {
            return new Outcome(null, false, List.of(), List.of(), skipped);
        }
        String parent = registry.active();
        try (Detector d = Detectors.load(registry.dirOf(parent))) {
            if (!(d instanceof Updatable u)) {
                throw new AnomalogException(d.method() + " models cannot learn from feedback; retrain the model with"
                        + " the false positives among the normal data, or use a method that can (deeplog)");
            }
            List<String> ids = fresh.stream().map(Case::id).toList();
            Provenance p = d.manifest().provenance();
            Provenance lineage = (p == null ? Provenance.of("update", List.of(), null, null, null,
                    d.manifest().templateStoreHash()) : p).withLineage(new Provenance.Lineage(parent, ids));
            Updatable.Updated up = u.learnNormal(fresh.stream().map(Case::sequence).toList(), lineage, settings,
                    progress);
            try (Detector next = up.detector()) {
                List<String> regressed = where(next, confirmed, false);
                List<String> still = where(next, fresh, true);
                boolean activate = regressed.isEmpty() || force;
                Map<String, Object> report = new LinkedHashMap<>(up.report());
                report.put("stillFlagged", still.size());
                report.put("confirmedChecked", confirmed.size());
                report.put("confirmedTurnedNormal", regressed.size());
                String note = "update: " + ids.size() + " false positive(s)"
                        + (activate ? "" : ", held back (turns a confirmed anomaly normal)");
                ModelRegistry.Version v = registry.add(parent, d.method(), ids, note, report, next::save, activate, by);
                return new Outcome(v, activate, regressed, still, skipped);
            }
        }
    }

    /** Ids of the cases the detector judges anomalous ({@code anomalous} true) or normal. */
    private static List<String> where(Detector d, List<Case> cases, boolean anomalous) {
        if (cases.isEmpty()) {
            return List.of();
        }
        List<Verdict> v = d.scoreAll(cases.stream().map(Case::sequence).toList());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            if (v.get(i).anomalous() == anomalous) {
                out.add(cases.get(i).id());
            }
        }
        return out;
    }
}
