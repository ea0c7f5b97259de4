package io.anomalog.ml.embed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Word vectors by skip-gram with negative sampling (Mikolov et al., 2013), in plain Java. Template vocabularies
 * are small (tens to a few hundred words), so one thread and a fixed seed give the same vectors on every run.
 *
 * <pre>{@code
 * Map<String, float[]> vectors = Word2Vec.builder().dimension(32).epochs(200).seed(7).build().train(sentences);
 * }</pre>
 */
public final class Word2Vec {

    private final int dimension;
    private final int window;
    private final int negatives;
    private final int epochs;
    private final float learningRate;
    private final long seed;

    private Word2Vec(Builder b) {
        this.dimension = b.dimension;
        this.window = b.window;
        this.negatives = b.negatives;
        this.epochs = b.epochs;
        this.learningRate = b.learningRate;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Trains on sentences (lists of tokens) and returns each word's input vector, in first-seen order. */
    public Map<String, float[]> train(List<List<String>> sentences) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Long> counts = new ArrayList<>();
        List<int[]> encoded = new ArrayList<>();
        for (List<String> sentence : sentences) {
            int[] ids = new int[sentence.size()];
            for (int i = 0; i < ids.length; i++) {
                Integer id = index.get(sentence.get(i));
                if (id == null) {
                    id = index.size();
                    index.put(sentence.get(i), id);
                    counts.add(0L);
                }
                counts.set(id, counts.get(id) + 1);
                ids[i] = id;
            }
            encoded.add(ids);
        }
        int words = index.size();
        Map<String, float[]> out = new LinkedHashMap<>();
        if (words == 0) {
            return out;
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[][] in = new float[words][dimension];
        float[][] ctx = new float[words][dimension];
        for (float[] v : in) {
            for (int d = 0; d < dimension; d++) {
                v[d] = (float) ((random.nextDouble() - 0.5) / dimension);
            }
        }
        int[] noise = noiseTable(counts, words);
        float[] grad = new float[dimension];
        long totalSteps = (long) epochs * encoded.size();
        long step = 0;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < encoded.size(); i++) {
            order.add(i);
        }
        java.util.Random shuffler = new java.util.Random(seed);
        for (int epoch = 0; epoch < epochs; epoch++) {
            Collections.shuffle(order, shuffler);
            for (int s : order) {
                // linear decay, as in the reference implementation, so late epochs refine instead of jump
                float lr = Math.max(learningRate * 1e-4f, learningRate * (1f - (float) step++ / totalSteps));
                int[] ids = encoded.get(s);
                for (int c = 0; c < ids.length; c++) {
                    int reach = 1 + random.nextInt(window);
                    for (int o = Math.max(0, c - reach); o <= Math.min(ids.length - 1, c + reach); o++) {
                        if (o != c) {
                            trainPair(in[ids[c]], ctx, ids[o], noise, random, lr, grad);
                        }
                    }
                }
            }
        }
        for (Map.Entry<String, Integer> e : index.entrySet()) {
            out.put(e.getKey(), in[e.getValue()]);
        }
        return out;
    }

    /** One positive context word and {@code negatives} noise words for one centre word. */
    private void trainPair(float[] centre, float[][] ctx, int target, int[] noise, SplittableRandom random,
                           float lr, float[] grad) {
        java.util.Arrays.fill(grad, 0f);
        for (int k = 0; k <= negatives; k++) {
            int word;
            float label;
            if (k == 0) {
                word = target;
                label = 1f;
            } else {
                word = noise[random.nextInt(noise.length)];
                if (word == target) {
                    continue;
                }
                label = 0f;
            }
            float[] c = ctx[word];
            float dot = 0f;
            for (int d = 0; d < dimension; d++) {
                dot += centre[d] * c[d];
            }
            float g = lr * (label - sigmoid(dot));
            for (int d = 0; d < dimension; d++) {
                grad[d] += g * c[d];
                c[d] += g * centre[d];
            }
        }
        for (int d = 0; d < dimension; d++) {
            centre[d] += grad[d];
        }
    }

    /** Unigram counts to the power 3/4, as a lookup table of word ids. */
    private static int[] noiseTable(List<Long> counts, int words) {
        double total = 0;
        for (long c : counts) {
            total += Math.pow(c, 0.75);
        }
        int size = Math.max(1000, words * 100);
        int[] table = new int[size];
        int w = 0;
        double cumulative = Math.pow(counts.get(0), 0.75) / total;
        for (int i = 0; i < size; i++) {
            table[i] = w;
            if ((double) (i + 1) / size > cumulative && w < words - 1) {
                w++;
                cumulative += Math.pow(counts.get(w), 0.75) / total;
            }
        }
        return table;
    }

    private static float sigmoid(float x) {
        if (x > 8) {
            return 1f;
        }
        if (x < -8) {
            return 0f;
        }
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /** Settings of {@link Word2Vec}; defaults suit template vocabularies. */
    public static final class Builder {
        private int dimension = 32;
        private int window = 3;
        private int negatives = 5;
        private int epochs = 200;
        private float learningRate = 0.025f;
        private long seed = 1;

        public Builder dimension(int d) {
            this.dimension = d;
            return this;
        }

        public Builder window(int w) {
            this.window = w;
            return this;
        }

        public Builder negatives(int n) {
            this.negatives = n;
            return this;
        }

        public Builder epochs(int e) {
            this.epochs = e;
            return this;
        }

        public Builder learningRate(float lr) {
            this.learningRate = lr;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Word2Vec build() {
            if (dimension < 1 || window < 1 || negatives < 0 || epochs < 1 || learningRate <= 0) {
                throw new IllegalArgumentException("word2vec settings must be positive");
            }
            return new Word2Vec(this);
        }
    }
}
