package io.anomalog.ml.deeplog;

import com.fasterxml.jackson.core.type.TypeReference;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A sample of the training windows kept with the model, so that an online update can replay them beside the
 * windows it learns and the model keeps what it knew. Windows are stored by raw key (padding as {@link #PAD}),
 * not by token, because an update that adds keys renumbers the tokens. Each window keeps its count in the
 * training data, so the replayed loss is the training loss on that sample.
 */
final class ReplaySample {

    static final String FILE = "deeplog-replay.json";
    static final int FORMAT_VERSION = 1;
    /** Raw key standing for padding (end of a short session). */
    static final int PAD = -1;
    /** Distinct windows kept at most. */
    static final int DEFAULT_SIZE = 4096;
    /** Distinct windows kept at most after updates add theirs: twice what training keeps. */
    static final int MAX_SIZE = 2 * DEFAULT_SIZE;

    private final int history;
    private final List<int[]> windows; // history raw keys then the next one
    private final List<Float> weights;

    ReplaySample(int history, List<int[]> windows, List<Float> weights) {
        this.history = history;
        this.windows = List.copyOf(windows);
        this.weights = List.copyOf(weights);
    }

    /**
     * Up to {@code size} distinct windows of the training data: all of them when there are fewer, otherwise a
     * seeded sample drawn in proportion to their counts (frequent windows are what the model must not forget),
     * each keeping its count.
     */
    static ReplaySample of(Windows train, KeyTokens tokens, int history, int size, long seed) {
        int n = train.size();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        long[] hist = train.histories(all, 0, n);
        long[] next = train.nextKeys(all, 0, n);
        float[] w = train.weights(all, 0, n);
        List<Integer> chosen = new ArrayList<>();
        if (n <= size) {
            for (int i = 0; i < n; i++) {
                chosen.add(i);
            }
        } else {
            // weighted sampling without replacement (Efraimidis-Spirakis keys)
            Random r = new Random(seed);
            double[] key = new double[n];
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                key[i] = Math.pow(r.nextDouble(), 1.0 / Math.max(w[i], 1e-9f));
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(key[b], key[a]));
            for (int i = 0; i < size; i++) {
                chosen.add(order[i]);
            }
            chosen.sort(null);
        }
        List<int[]> windows = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        for (int i : chosen) {
            int[] raw = new int[history + 1];
            for (int j = 0; j < history; j++) {
                raw[j] = rawOf(tokens, (int) hist[i * history + j]);
            }
            raw[history] = rawOf(tokens, (int) next[i]);
            windows.add(raw);
            weights.add(w[i]);
        }
        return new ReplaySample(history, windows, weights);
    }

    private static int rawOf(KeyTokens tokens, int token) {
        Integer raw = tokens.rawKey(token);
        if (raw == null) {
            if (token == KeyTokens.UNKNOWN) {
                throw new IllegalStateException("a training window holds an unknown key");
            }
            return PAD;
        }
        return raw;
    }

    int size() {
        return windows.size();
    }

    int history() {
        return history;
    }

    /** The windows as tokens of a (possibly larger) token space, with their weights. */
    Windows asWindows(KeyTokens tokens) {
        int[] tok = new int[windows.size() * (history + 1)];
        float[] w = new float[windows.size()];
        for (int i = 0; i < windows.size(); i++) {
            int[] raw = windows.get(i);
            for (int j = 0; j <= history; j++) {
                tok[i * (history + 1) + j] = raw[j] == PAD ? tokens.pad() : tokens.vocabulary().indexOf(raw[j]);
            }
            w[i] = weights.get(i);
        }
        return Windows.ofTokens(tok, w, history);
    }

    void save(Path modelDir) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("formatVersion", FORMAT_VERSION);
        out.put("history", history);
        out.put("windows", windows);
        out.put("weights", weights);
        AtomicFiles.writeJson(modelDir.resolve(FILE), out);
    }

    /** The sample saved with a model, or null when the model has none (trained before samples were kept). */
    static ReplaySample load(Path modelDir, int expectedHistory) {
        Path file = modelDir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            Map<String, Object> in = Json.MAPPER.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {
            });
            int version = ((Number) in.get("formatVersion")).intValue();
            if (version != FORMAT_VERSION) {
                throw new AnomalogException(FILE + " in " + modelDir + " has format version " + version
                        + "; this build reads version " + FORMAT_VERSION + " (retrain the model with this build)");
            }
            int h = ((Number) in.get("history")).intValue();
            if (h != expectedHistory) {
                throw new AnomalogException("corrupt " + FILE + " in " + modelDir + ": history " + h
                        + " but the model's is " + expectedHistory);
            }
            List<int[]> windows = new ArrayList<>();
            for (Object o : (List<?>) in.get("windows")) {
                List<?> l = (List<?>) o;
                if (l.size() != h + 1) {
                    throw new AnomalogException("corrupt " + FILE + " in " + modelDir + ": a window of "
                            + l.size() + " keys, expected " + (h + 1));
                }
                windows.add(l.stream().mapToInt(x -> ((Number) x).intValue()).toArray());
            }
            List<Float> weights = new ArrayList<>();
            for (Object o : (List<?>) in.get("weights")) {
                weights.add(((Number) o).floatValue());
            }
            if (weights.size() != windows.size()) {
                throw new AnomalogException("corrupt " + FILE + " in " + modelDir + ": " + windows.size()
                        + " windows but " + weights.size() + " weights");
            }
            return new ReplaySample(h, windows, weights);
        } catch (IOException | ClassCastException | NullPointerException e) {
            throw new AnomalogException("corrupt " + FILE + " in " + modelDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * This sample with more windows (those an update learned), so that the next update replays them too. A window
     * already in the sample keeps one entry whose count is the larger of the two. The sample stays bounded at
     * {@link #MAX_SIZE} distinct windows however many updates run: past it, the windows with the smallest counts
     * go first (rare patterns, whether from training or from earlier updates), but never those just learned.
     */
    ReplaySample plus(Windows learned, KeyTokens tokens) {
        ReplaySample more = of(learned, tokens, history, Integer.MAX_VALUE, 0);
        Map<List<Integer>, Integer> index = new LinkedHashMap<>();
        List<int[]> w = new ArrayList<>(windows);
        List<Float> g = new ArrayList<>(weights);
        for (int i = 0; i < w.size(); i++) {
            index.put(asList(w.get(i)), i);
        }
        java.util.Set<Integer> fresh = new java.util.HashSet<>();
        for (int i = 0; i < more.windows.size(); i++) {
            List<Integer> k = asList(more.windows.get(i));
            Integer at = index.get(k);
            if (at == null) {
                at = w.size();
                index.put(k, at);
                w.add(more.windows.get(i));
                g.add(more.weights.get(i));
            } else {
                g.set(at, Math.max(g.get(at), more.weights.get(i)));
            }
            fresh.add(at);
        }
        if (w.size() <= MAX_SIZE) {
            return new ReplaySample(history, w, g);
        }
        Integer[] order = new Integer[w.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // the just-learned first, then by count, heaviest first; ties keep the older window
        java.util.Arrays.sort(order, (a, b) -> {
            int f = Boolean.compare(fresh.contains(b), fresh.contains(a));
            return f != 0 ? f : Float.compare(g.get(b), g.get(a));
        });
        List<Integer> keep = new ArrayList<>(java.util.Arrays.asList(order).subList(0, MAX_SIZE));
        keep.sort(null);
        List<int[]> kw = new ArrayList<>();
        List<Float> kg = new ArrayList<>();
        for (int i : keep) {
            kw.add(w.get(i));
            kg.add(g.get(i));
        }
        return new ReplaySample(history, kw, kg);
    }

    private static List<Integer> asList(int[] window) {
        List<Integer> l = new ArrayList<>(window.length);
        for (int k : window) {
            l.add(k);
        }
        return l;
    }

    /** The windows, as raw keys (history then next), for tests and reports. */
    List<int[]> windows() {
        return windows;
    }

    /** The windows' counts, in the order of {@link #windows()}. */
    List<Float> weights() {
        return weights;
    }
}
