package io.anomalog.ml.baseline;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.session.Sequence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * N-gram language model over log keys, DeepLog's baseline (Du et al., CCS 2017): the next key is predicted from
 * the previous n-1 keys by frequency in normal sessions. A sequence is anomalous when some key is not among the
 * {@code candidates} most frequent successors of its history (an unseen history has no candidates). The score is
 * the largest surprisal {@code -log P(key | history)} in the sequence, with add-one smoothing.
 */
final class NgramDetector extends BaselineDetector {

    /** Marks positions before the start of a sequence in a history. */
    static final int START = -1;
    /** Stands for the end of a sequence as a successor, so a session that stops early is a surprise. */
    static final int END = -2;

    /**
     * One history and its successors, most frequent first.
     *
     * @param history the n-1 previous keys (dense indices; {@link #START} before the start)
     * @param next    successor keys (dense indices), most frequent first
     * @param counts  how often each followed
     */
    record Context(int[] history, int[] next, long[] counts) {
    }

    /**
     * Saved parameters.
     *
     * @param n          the n of the n-gram (history length n-1)
     * @param candidates top successors that count as expected
     * @param end        whether the end of a sequence is predicted like a key
     * @param contexts   every history seen in training
     */
    record Parameters(int n, int candidates, boolean end, List<Context> contexts) {
    }

    private final Parameters p;
    private final KeyVocabulary vocabulary;
    private final Map<List<Integer>, Context> byHistory = new HashMap<>();

    NgramDetector(ModelManifest manifest, Parameters p) {
        super(manifest);
        this.p = p;
        this.vocabulary = manifest.keyVocabulary();
        for (Context c : p.contexts()) {
            byHistory.put(key(c.history()), c);
        }
    }

    static List<Integer> key(int[] history) {
        return Arrays.stream(history).boxed().toList();
    }

    /** The history before position i of dense keys, padded with {@link #START}. */
    static int[] history(int[] dense, int i, int length) {
        int[] h = new int[length];
        for (int j = 0; j < length; j++) {
            int at = i - length + j;
            h[j] = at < 0 ? START : dense[at];
        }
        return h;
    }

    /** Dense keys, followed by {@link #END} when the end is modelled. */
    static int[] events(int[] dense, boolean end) {
        if (!end) {
            return dense;
        }
        int[] out = Arrays.copyOf(dense, dense.length + 1);
        out[dense.length] = END;
        return out;
    }

    @Override
    public Verdict score(Sequence sequence) {
        int[] dense = events(vocabulary.encode(sequence.keys()), p.end());
        double worst = 0;
        String why = null;
        int vocabularySize = vocabulary.size() + 1;
        for (int i = 0; i < dense.length; i++) {
            int[] h = history(dense, i, p.n() - 1);
            Context c = byHistory.get(key(h));
            long count = 0;
            long total = 0;
            boolean expected = false;
            if (c != null) {
                for (int j = 0; j < c.next().length; j++) {
                    total += c.counts()[j];
                    if (c.next()[j] == dense[i]) {
                        count = c.counts()[j];
                        expected = j < p.candidates();
                    }
                }
            }
            double surprisal = -Math.log((count + 1.0) / (total + vocabularySize));
            if (!expected && why == null) {
                why = String.format(Locale.ROOT, "%s at position %d %s",
                        dense[i] == END ? "the end" : "key " + sequence.keys()[i], i,
                        c == null ? "follows a history never seen in training"
                                : count == 0 ? "never followed its history in training"
                                : "is not among the " + p.candidates() + " likeliest successors");
            }
            worst = Math.max(worst, surprisal);
        }
        boolean anomalous = why != null;
        return new Verdict(sequence.id(), anomalous, worst, new BaselineExplanation(
                anomalous ? why : "every key among the expected successors", worst, Double.NaN));
    }

    /** Counts successors of every history in the training sequences. */
    static List<Context> count(List<int[]> denseSequences, int n, boolean end) {
        Map<List<Integer>, Map<Integer, Long>> table = new HashMap<>();
        for (int[] keys : denseSequences) {
            int[] dense = events(keys, end);
            for (int i = 0; i < dense.length; i++) {
                table.computeIfAbsent(key(history(dense, i, n - 1)), k -> new HashMap<>())
                        .merge(dense[i], 1L, Long::sum);
            }
        }
        List<Context> out = new ArrayList<>();
        table.entrySet().stream()
                .sorted(Map.Entry.comparingByKey((a, b) -> Arrays.compare(
                        a.stream().mapToInt(Integer::intValue).toArray(),
                        b.stream().mapToInt(Integer::intValue).toArray())))
                .forEach(e -> {
                    List<Map.Entry<Integer, Long>> next = new ArrayList<>(e.getValue().entrySet());
                    next.sort((a, b) -> a.getValue().equals(b.getValue()) ? Integer.compare(a.getKey(), b.getKey())
                            : Long.compare(b.getValue(), a.getValue()));
                    out.add(new Context(e.getKey().stream().mapToInt(Integer::intValue).toArray(),
                            next.stream().mapToInt(Map.Entry::getKey).toArray(),
                            next.stream().mapToLong(Map.Entry::getValue).toArray()));
                });
        return out;
    }

    @Override
    protected void writeParameters(Path modelDir) throws IOException {
        ModelFiles.writeParameters(modelDir, p);
    }
}
