package io.anomalog.ml.deeplog.workflow;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The execution path of one task as a finite-state automaton over log keys: a state per key of the task, plus a
 * start and an end (written as {@code null}), and an edge for every transition the task makes, with how often the
 * normal training sessions made it. The automaton is over keys, so concurrent steps appear as every order in which
 * they interleave.
 *
 * @param task       the task's number (1, 2, ... in order of first appearance in the training sessions)
 * @param keys       the task's log keys, in order of first appearance
 * @param edges      its transitions, most frequent first
 * @param forks      states (null = start) with more than one next state (the end counts as one)
 * @param joins      states (null = end) with more than one previous state (the start counts as one)
 * @param loops      edges that close a cycle (back edges of a depth-first walk from the start, self-loops
 *                   included)
 * @param concurrent pairs of keys that run concurrently: both orders occur, after a common state and before a
 *                   common state, so the pair is a fork that joins again rather than a loop
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Workflow(int task, List<Integer> keys, List<Edge> edges, List<Integer> forks, List<Integer> joins,
                       List<Edge> loops, List<List<Integer>> concurrent) {

    /**
     * One transition.
     *
     * @param from  the state it leaves (null = start)
     * @param to    the state it enters (null = end)
     * @param count how often the normal training sessions made it
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Edge(Integer from, Integer to, long count) {

        /** Whether this edge goes from {@code a} to {@code b} (null = start or end). */
        public boolean connects(Integer a, Integer b) {
            return Objects.equals(from, a) && Objects.equals(to, b);
        }
    }

    public Workflow {
        keys = List.copyOf(keys);
        edges = List.copyOf(edges);
        forks = forks == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(forks));
        joins = joins == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(joins));
        loops = loops == null ? List.of() : List.copyOf(loops);
        concurrent = concurrent == null ? List.of() : List.copyOf(concurrent);
    }

    /** The automaton with its forks, joins, loops and concurrent pairs recognised from its edges. */
    public static Workflow of(int task, List<Integer> keys, List<Edge> edges) {
        List<Edge> sorted = new ArrayList<>(edges);
        sorted.sort(Comparator.comparingLong(Edge::count).reversed()
                .thenComparing(e -> e.from() == null ? Integer.MIN_VALUE : e.from())
                .thenComparing(e -> e.to() == null ? Integer.MAX_VALUE : e.to()));
        Workflow bare = new Workflow(task, keys, sorted, null, null, null, null);
        return new Workflow(task, keys, sorted, bare.statesWhere(true), bare.statesWhere(false), bare.backEdges(),
                bare.concurrentPairs());
    }

    public boolean contains(int key) {
        return keys.contains(key);
    }

    /** Whether the automaton has the transition {@code from -> to} (null = start or end). */
    public boolean hasEdge(Integer from, Integer to) {
        return edges.stream().anyMatch(e -> e.connects(from, to));
    }

    /** The states that may follow {@code state} (null in the list = the end), most frequent first. */
    public List<Integer> next(Integer state) {
        List<Integer> out = new ArrayList<>();
        for (Edge e : edges) {
            if (Objects.equals(e.from(), state)) {
                out.add(e.to());
            }
        }
        return out;
    }

    /** The states that may precede {@code state} (null in the list = the start). */
    public List<Integer> previous(Integer state) {
        List<Integer> out = new ArrayList<>();
        for (Edge e : edges) {
            if (Objects.equals(e.to(), state)) {
                out.add(e.from());
            }
        }
        return out;
    }

    /** Edges as {@code from->to} strings (start and end as S and E), for comparing automata. */
    @JsonIgnore
    public Set<String> edgeNames() {
        Set<String> out = new LinkedHashSet<>();
        for (Edge e : edges) {
            out.add(name(e.from(), "S") + "->" + name(e.to(), "E"));
        }
        return out;
    }

    private static String name(Integer state, String none) {
        return state == null ? none : String.valueOf(state);
    }

    /** Forks (more than one next state; null = the start) or joins (more than one previous state; null = the end). */
    private List<Integer> statesWhere(boolean fork) {
        List<Integer> out = new ArrayList<>();
        if (fork && next(null).size() > 1) {
            out.add(null);
        }
        for (Integer k : keys) {
            if ((fork ? next(k) : previous(k)).size() > 1) {
                out.add(k);
            }
        }
        if (!fork && previous(null).size() > 1) {
            out.add(null);
        }
        return out;
    }

    /** Back edges of a depth-first walk from the start, visiting next states most frequent first. */
    private List<Edge> backEdges() {
        List<Edge> out = new ArrayList<>();
        Set<Integer> done = new java.util.HashSet<>();
        Set<Integer> onPath = new java.util.HashSet<>();
        for (Edge start : edges) {
            if (start.from() == null && start.to() != null && !done.contains(start.to())) {
                walk(start.to(), done, onPath, out);
            }
        }
        for (Integer k : keys) {
            if (!done.contains(k)) {
                walk(k, done, onPath, out); // states the start does not reach
            }
        }
        return out;
    }

    private void walk(int state, Set<Integer> done, Set<Integer> onPath, List<Edge> back) {
        // iterative depth-first search: automata of long tasks would otherwise recurse deeply
        record Frame(int state, List<Edge> out, int[] next) {
        }
        java.util.ArrayDeque<Frame> stack = new java.util.ArrayDeque<>();
        stack.push(new Frame(state, outEdges(state), new int[1]));
        onPath.add(state);
        while (!stack.isEmpty()) {
            Frame f = stack.peek();
            if (f.next()[0] == f.out().size()) {
                stack.pop();
                onPath.remove(f.state());
                done.add(f.state());
                continue;
            }
            Edge e = f.out().get(f.next()[0]++);
            if (e.to() == null) {
                continue;
            }
            if (onPath.contains(e.to())) {
                back.add(e);
            } else if (!done.contains(e.to())) {
                onPath.add(e.to());
                stack.push(new Frame(e.to(), outEdges(e.to()), new int[1]));
            }
        }
    }

    private List<Edge> outEdges(Integer state) {
        return edges.stream().filter(e -> Objects.equals(e.from(), state)).toList();
    }

    private List<List<Integer>> concurrentPairs() {
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                int b = keys.get(i);
                int c = keys.get(j);
                if (!hasEdge(b, c) || !hasEdge(c, b)) {
                    continue;
                }
                List<Integer> before = new ArrayList<>(previous(b));
                before.retainAll(previous(c));
                List<Integer> after = new ArrayList<>(next(b));
                after.retainAll(next(c));
                before.removeAll(java.util.Arrays.asList(b, c));
                after.removeAll(java.util.Arrays.asList(b, c));
                if (!before.isEmpty() && !after.isEmpty()) {
                    out.add(List.of(b, c));
                }
            }
        }
        return out;
    }
}
