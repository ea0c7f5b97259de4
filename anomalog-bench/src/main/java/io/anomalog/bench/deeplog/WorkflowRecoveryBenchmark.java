package io.anomalog.bench.deeplog;

import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.ml.deeplog.workflow.Workflow;
import io.anomalog.ml.deeplog.workflow.WorkflowBuilder;
import io.anomalog.ml.deeplog.workflow.WorkflowPicture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Protocol {@code workflow-recovery}: sessions interleave tasks whose true automata are known (three tasks with
 * forks, joins, loops and a skipped step), each session running a random non-empty subset of them with their
 * lines interleaved at random; the workflows built by co-occurrence clustering are matched to the true tasks
 * (by their keys) and scored by edge precision and recall. Writes a report and the pictures of the workflows.
 */
public final class WorkflowRecoveryBenchmark {

    /** A true task: its transitions (0 = start or end) and a random walk through them. */
    record Task(String name, Map<Integer, int[]> next) {
        Set<String> edges() {
            Set<String> out = new HashSet<>();
            next.forEach((from, tos) -> {
                for (int to : tos) {
                    out.add((from == 0 ? "S" : String.valueOf(from)) + "->" + (to == 0 ? "E" : String.valueOf(to)));
                }
            });
            return out;
        }

        List<Integer> walk(Random r) {
            List<Integer> out = new ArrayList<>();
            int state = 0;
            while (true) {
                int[] tos = next.get(state);
                int to = tos[r.nextInt(tos.length)];
                if (to == 0 || out.size() > 200) {
                    return out;
                }
                out.add(to);
                state = to;
            }
        }
    }

    /** The three true tasks. */
    static List<Task> tasks() {
        return List.of(
                new Task("write (fork to 3 or 4, join at 5, loop 5->2)", Map.of(0, new int[]{1}, 1, new int[]{2},
                        2, new int[]{3, 4}, 3, new int[]{5}, 4, new int[]{5}, 5, new int[]{2, 6, 6}, 6, new int[]{0})),
                new Task("replicate (retry self-loop at 12, branch to 14 or 15)", Map.of(0, new int[]{11}, 11, new int[]{12},
                        12, new int[]{12, 13, 13, 13}, 13, new int[]{14, 15}, 14, new int[]{16}, 15, new int[]{16},
                        16, new int[]{0})),
                new Task("delete (22 may be skipped)", Map.of(0, new int[]{21}, 21, new int[]{22, 23},
                        22, new int[]{23}, 23, new int[]{0})));
    }

    /** Sessions each running a random non-empty subset of the tasks, interleaved. */
    static List<Sequence> sessions(List<Task> tasks, int n, long seed) {
        Random r = new Random(seed);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int mask = 1 + r.nextInt((1 << tasks.size()) - 1);
            List<List<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < tasks.size(); t++) {
                if ((mask & (1 << t)) != 0) {
                    runs.add(tasks.get(t).walk(r));
                }
            }
            int[] pos = new int[runs.size()];
            List<Integer> keys = new ArrayList<>();
            int left = runs.stream().mapToInt(List::size).sum();
            while (left > 0) {
                int t = r.nextInt(runs.size());
                if (pos[t] < runs.get(t).size()) {
                    keys.add(runs.get(t).get(pos[t]++));
                    left--;
                }
            }
            out.add(new Sequence("s" + i, keys.stream().mapToInt(Integer::intValue).toArray(), Label.NORMAL));
        }
        return out;
    }

    public static String write(int sessions, long seed, double eps, int minPts, String command, Path out)
            throws IOException {
        List<Task> truth = tasks();
        List<Workflow> built = WorkflowBuilder.fromCooccurrence(sessions(truth, sessions, seed), eps, minPts);
        Path pictures = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.md$", ""));
        Files.createDirectories(pictures);
        StringBuilder b = new StringBuilder("# Workflow recovery from interleaved tasks (`workflow-recovery`)\n\n");
        b.append("Written by `").append(command).append("` on ").append(LocalDate.now(ZoneOffset.UTC)).append(".\n\n");
        b.append(String.format(Locale.ROOT, "%,d sessions (seed %d), each running a random non-empty subset of three "
                + "tasks whose automata are known, their events interleaved at random. Workflows built by "
                + "co-occurrence clustering (DBSCAN, eps %s, minPts %d) over the keys; each built workflow is matched "
                + "to the true task sharing most of its keys.\n\n", sessions, seed, eps, minPts));
        b.append(String.format(Locale.ROOT, "Built: %d workflow(s) for %d true tasks.\n\n", built.size(), truth.size()));
        b.append("| true task | built workflow | its keys | edge precision | edge recall | picture |\n");
        b.append("|---|---:|---|---:|---:|---|\n");
        for (Task t : truth) {
            Set<Integer> keys = new HashSet<>(t.next().keySet());
            keys.remove(0);
            Workflow best = null;
            long bestOverlap = -1;
            for (Workflow w : built) {
                long overlap = w.keys().stream().filter(keys::contains).count();
                if (overlap > bestOverlap) {
                    best = w;
                    bestOverlap = overlap;
                }
            }
            Set<String> truthEdges = t.edges();
            Set<String> got = best.edgeNames();
            long hit = got.stream().filter(truthEdges::contains).count();
            String picture = pictures.getFileName() + "/task-" + best.task() + ".svg";
            AtomicFiles.write(pictures.resolve("task-" + best.task() + ".svg"),
                    WorkflowPicture.of(best, null, Map.of()).svg().getBytes(StandardCharsets.UTF_8));
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %.3f | %.3f | [%s](%s) |\n", t.name(), best.task(),
                    best.keys(), (double) hit / got.size(), (double) hit / truthEdges.size(), picture, picture));
        }
        b.append("\nEdge precision: the share of the built workflow's transitions (start and end included) that the "
                + "true automaton has; recall: the share of the true transitions the built workflow has.\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        AtomicFiles.write(out, b.toString().getBytes(StandardCharsets.UTF_8));
        return b.toString();
    }
}
