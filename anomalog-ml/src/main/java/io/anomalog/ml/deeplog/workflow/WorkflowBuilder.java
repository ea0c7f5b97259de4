package io.anomalog.ml.deeplog.workflow;

import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.ml.deeplog.DeepLogDetector;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds workflows from normal sequences, in DeepLog's two ways.
 * <ul>
 *   <li>{@link #fromKeyModel}: from the log-key model's predictions. The first h keys of each training sequence are
 *       taken as they came (the model never predicts them), and so are the ends of sequences (the key model
 *       predicts an end only after sessions shorter than h + 1); from each such history the model's predictions
 *       are followed breadth first: every key it predicts with probability at least {@code minProbability} is an
 *       edge from the history's last key, and the history moved on by that key is explored in turn when training
 *       had a window with that history (the model's predictions after any other mean nothing), up to
 *       {@code maxHistories} histories.</li>
 *   <li>{@link #fromCooccurrence}: separates interleaved tasks by density-based clustering (DBSCAN) of the keys,
 *       two keys being at distance {@code 1 - |A & B| / min(|A|, |B|)}, A and B the sets of sequences holding
 *       them (a key on a branch of a task is always with the task's other keys, so it stays close to them; a key
 *       found in every sequence is close to all and joins the tasks into one); each cluster is a task (a key
 *       DBSCAN calls noise is a task of its own), and its automaton has the transitions of the sequences'
 *       projections onto the task's keys.</li>
 * </ul>
 * Edge counts are always how often the training sequences made the transition (0 for one only the model
 * predicts).
 */
public final class WorkflowBuilder {

    private WorkflowBuilder() {
    }

    /** Transition counts of the sequences (null = start or end), each restricted to {@code keys} (null = all). */
    static Map<List<Integer>, Long> transitions(List<Sequence> sequences, Set<Integer> keys) {
        Map<List<Integer>, Long> out = new LinkedHashMap<>();
        for (Sequence s : sequences) {
            Integer prev = null;
            boolean any = false;
            for (int k : s.keys()) {
                if (keys != null && !keys.contains(k)) {
                    continue;
                }
                out.merge(Arrays.asList(prev, k), 1L, Long::sum);
                prev = k;
                any = true;
            }
            if (any) {
                out.merge(Arrays.asList(prev, null), 1L, Long::sum);
            }
        }
        return out;
    }

    private static List<Sequence> normal(List<Sequence> sequences) {
        return sequences.stream().filter(s -> s.label() != Label.ANOMALOUS && s.length() > 0).toList();
    }

    /** The workflow the key model predicts (task 1, all keys), from the histories the sequences start with. */
    public static Workflow fromKeyModel(DeepLogDetector model, List<Sequence> sequences, double minProbability,
                                        int maxHistories) {
        List<Sequence> normal = normal(sequences);
        int h = model.config().history();
        Map<List<Integer>, Long> counts = transitions(normal, null);
        Set<List<Integer>> edges = new LinkedHashSet<>();
        Set<List<Integer>> seen = new HashSet<>();
        Set<List<Integer>> trained = new HashSet<>();
        ArrayDeque<List<Integer>> queue = new ArrayDeque<>();
        for (Sequence s : normal) {
            int[] k = s.keys();
            edges.add(Arrays.asList(k[k.length - 1], null));
            for (int i = 0; i + h < k.length; i++) {
                List<Integer> window = new ArrayList<>();
                for (int j = i; j < i + h; j++) {
                    window.add(k[j]);
                }
                trained.add(window);
            }
            // the first h keys are never predicted: their transitions are taken as observed
            for (int i = 0; i < Math.min(h, k.length); i++) {
                edges.add(Arrays.asList(i == 0 ? null : k[i - 1], k[i]));
            }
            if (k.length <= h) {
                // too short for a prediction after the history: every transition and the end as observed
                for (int i = h; i < k.length; i++) {
                    edges.add(Arrays.asList(k[i - 1], k[i]));
                }
                if (k.length < h + 1) {
                    edges.add(Arrays.asList(k[k.length - 1], null));
                }
                if (k.length < h) {
                    continue;
                }
            }
            List<Integer> start = new ArrayList<>();
            for (int i = 0; i < h; i++) {
                start.add(k[i]);
            }
            if (trained.contains(start) && seen.add(start)) {
                queue.add(start);
            }
        }
        while (!queue.isEmpty()) {
            List<Integer> history = queue.poll();
            Integer last = history.get(history.size() - 1);
            for (Map.Entry<Integer, Double> e : model.nextKeys(history).entrySet()) {
                if (e.getValue() < minProbability) {
                    break; // most probable first
                }
                edges.add(Arrays.asList(last, e.getKey()));
                if (e.getKey() != null) {
                    List<Integer> next = new ArrayList<>(history.subList(1, history.size()));
                    next.add(e.getKey());
                    if (trained.contains(next) && seen.size() < maxHistories && seen.add(next)) {
                        queue.add(next);
                    }
                }
            }
        }
        return automaton(1, edges, counts);
    }

    /** One workflow per task found by clustering key co-occurrence. */
    public static List<Workflow> fromCooccurrence(List<Sequence> sequences, double eps, int minPts) {
        List<Sequence> normal = normal(sequences);
        List<Integer> keys = new ArrayList<>();
        Map<Integer, BitSet> holders = new LinkedHashMap<>();
        for (int i = 0; i < normal.size(); i++) {
            for (int k : normal.get(i).keys()) {
                BitSet b = holders.get(k);
                if (b == null) {
                    b = new BitSet();
                    holders.put(k, b);
                    keys.add(k);
                }
                b.set(i);
            }
        }
        int n = keys.size();
        double[][] dist = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                BitSet x = (BitSet) holders.get(keys.get(a)).clone();
                x.and(holders.get(keys.get(b)));
                int smaller = Math.min(holders.get(keys.get(a)).cardinality(), holders.get(keys.get(b)).cardinality());
                dist[a][b] = dist[b][a] = 1 - (double) x.cardinality() / smaller;
            }
        }
        int[] cluster = dbscan(dist, eps, minPts);
        Map<Integer, Set<Integer>> tasks = new LinkedHashMap<>(); // in order of first appearance of their keys
        int noise = -1;
        for (int i = 0; i < n; i++) {
            int c = cluster[i] >= 0 ? cluster[i] : noise--;
            tasks.computeIfAbsent(c, x -> new LinkedHashSet<>()).add(keys.get(i));
        }
        List<Workflow> out = new ArrayList<>();
        int task = 1;
        for (Set<Integer> taskKeys : tasks.values()) {
            Map<List<Integer>, Long> counts = transitions(normal, taskKeys);
            out.add(automaton(task++, counts.keySet(), counts));
        }
        return out;
    }

    /** DBSCAN over a distance matrix: cluster number per point, -1 for noise. */
    static int[] dbscan(double[][] dist, double eps, int minPts) {
        int n = dist.length;
        int[] label = new int[n];
        Arrays.fill(label, Integer.MIN_VALUE); // unvisited
        int c = 0;
        for (int p = 0; p < n; p++) {
            if (label[p] != Integer.MIN_VALUE) {
                continue;
            }
            List<Integer> nb = neighbours(dist, p, eps);
            if (nb.size() < minPts) {
                label[p] = -1;
                continue;
            }
            label[p] = c;
            ArrayDeque<Integer> seeds = new ArrayDeque<>(nb);
            while (!seeds.isEmpty()) {
                int q = seeds.poll();
                if (label[q] == -1) {
                    label[q] = c;       // border point
                }
                if (label[q] != Integer.MIN_VALUE) {
                    continue;
                }
                label[q] = c;
                List<Integer> qn = neighbours(dist, q, eps);
                if (qn.size() >= minPts) {
                    seeds.addAll(qn);
                }
            }
            c++;
        }
        return label;
    }

    private static List<Integer> neighbours(double[][] dist, int p, double eps) {
        List<Integer> out = new ArrayList<>();
        for (int q = 0; q < dist.length; q++) {
            if (dist[p][q] <= eps) {
                out.add(q); // p itself included, as DBSCAN counts it
            }
        }
        return out;
    }

    static Workflow automaton(int task, Iterable<List<Integer>> edgeSet, Map<List<Integer>, Long> counts) {
        List<Workflow.Edge> edges = new ArrayList<>();
        Set<Integer> keys = new LinkedHashSet<>();
        Map<Integer, Long> firstSeen = new HashMap<>();
        long order = 0;
        for (List<Integer> e : counts.keySet()) {
            for (Integer k : e) {
                if (k != null && !firstSeen.containsKey(k)) {
                    firstSeen.put(k, order++);
                }
            }
        }
        for (List<Integer> e : edgeSet) {
            edges.add(new Workflow.Edge(e.get(0), e.get(1), counts.getOrDefault(e, 0L)));
            for (Integer k : e) {
                if (k != null) {
                    keys.add(k);
                }
            }
        }
        List<Integer> sorted = new ArrayList<>(keys);
        sorted.sort((a, b) -> Long.compare(firstSeen.getOrDefault(a, Long.MAX_VALUE),
                firstSeen.getOrDefault(b, Long.MAX_VALUE)));
        return Workflow.of(task, sorted, edges);
    }

    /** Whether two workflows have the same states and transitions (counts aside). */
    public static boolean sameAutomaton(Workflow a, Workflow b) {
        return new HashSet<>(a.keys()).equals(new HashSet<>(b.keys())) && a.edgeNames().equals(b.edgeNames())
                && Objects.equals(a.edges().size(), b.edges().size());
    }
}
