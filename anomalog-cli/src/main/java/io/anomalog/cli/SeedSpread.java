package io.anomalog.cli;

import io.anomalog.core.eval.Evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The figures of one protocol over models trained with different seeds, and their mean, lowest and highest
 * values: a deep model's result depends on its initialisation and on which sessions were held out, and one seed
 * alone says little about the next.
 */
final class SeedSpread {

    record Run(long seed, Evaluation evaluation, double trainSeconds) {
    }

    private final List<Run> runs = new ArrayList<>();
    private final boolean projected;

    SeedSpread(boolean projected) {
        this.projected = projected;
    }

    void add(long seed, Evaluation evaluation, double trainSeconds) {
        runs.add(new Run(seed, evaluation, trainSeconds));
    }

    List<Run> runs() {
        return List.copyOf(runs);
    }

    /** Mean, lowest and highest value of one figure over the runs. */
    double[] summary(ToDoubleFunction<Run> figure) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Run r : runs) {
            double v = figure.applyAsDouble(r);
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new double[]{runs.isEmpty() ? Double.NaN : sum / runs.size(), min, max};
    }

    String markdown(String rule) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Spread over model seeds (rule of the models: top-%s; each seed changes the "
                + "initialisation, the shuffling and the held-out validation sessions):%n%n", rule));
        b.append("| model seed | TP | FP | TN | FN | precision | recall | F1 | FPR |")
                .append(projected ? " projected F1 |" : "").append(" train s |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|").append(projected ? "---:|" : "").append("---:|\n");
        for (Run r : runs) {
            var m = r.evaluation().matrix();
            b.append(String.format(Locale.ROOT, "| %d | %,d | %,d | %,d | %,d | %.4f | %.4f | %.4f | %.5f |",
                    r.seed(), m.tp(), m.fp(), m.tn(), m.fn(), m.precision(), m.recall(), m.f1(), m.fpr()));
            if (projected) {
                b.append(String.format(Locale.ROOT, " %.4f |", r.evaluation().projectedF1()));
            }
            b.append(String.format(Locale.ROOT, " %.1f |%n", r.trainSeconds()));
        }
        List<ToDoubleFunction<Run>> figures = new ArrayList<>(List.of(
                r -> r.evaluation().matrix().precision(), r -> r.evaluation().matrix().recall(),
                r -> r.evaluation().matrix().f1(), r -> r.evaluation().matrix().fpr()));
        if (projected) {
            figures.add(r -> r.evaluation().projectedF1());
        }
        String[] names = {"mean", "lowest", "highest"};
        for (int i = 0; i < 3; i++) {
            b.append("| ").append(names[i]).append(" | | | | |");
            for (int f = 0; f < figures.size(); f++) {
                double v = summary(figures.get(f))[i];
                b.append(String.format(Locale.ROOT, f == 3 ? " %.5f |" : " %.4f |", v));
            }
            double t = summary(Run::trainSeconds)[i];
            b.append(String.format(Locale.ROOT, " %.1f |%n", t));
        }
        return b.append('\n').toString();
    }
}
