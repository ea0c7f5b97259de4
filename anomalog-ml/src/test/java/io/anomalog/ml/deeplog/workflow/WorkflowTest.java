package io.anomalog.ml.deeplog.workflow;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.Detectors;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Verdict;
import io.anomalog.core.io.Json;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;
import io.anomalog.ml.deeplog.DeepLogModels;
import io.anomalog.ml.deeplog.DeepLogProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task whose automaton is known: 1 -> 2, then 3 or 4 (a fork), both -> 5 (a join), 5 back to 2 (a loop) or on to
 * 6, then the end; a second task 11 -> 12 -> 13 or 11 -> 13 runs in some of the sessions too, interleaved.
 */
class WorkflowTest {

    static final Set<String> TASK_ONE = Set.of("S->1", "1->2", "2->3", "2->4", "3->5", "4->5", "5->2", "5->6", "6->E");
    static final Set<String> TASK_TWO = Set.of("S->11", "11->12", "12->13", "11->13", "13->E");
    private static Detector model;

    static List<Integer> walkOne(Random r) {
        List<Integer> out = new ArrayList<>(List.of(1));
        do {
            out.add(2);
            out.add(r.nextBoolean() ? 3 : 4);
            out.add(5);
        } while (r.nextDouble() < 0.3);
        out.add(6);
        return out;
    }

    static List<Integer> walkTwo(Random r) {
        return r.nextBoolean() ? List.of(11, 12, 13) : List.of(11, 13);
    }

    static Sequence session(String id, List<Integer> keys) {
        return new Sequence(id, keys.stream().mapToInt(Integer::intValue).toArray(), Label.NORMAL);
    }

    static List<Sequence> taskOneSessions(int n, long seed) {
        Random r = new Random(seed);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(session("s" + i, walkOne(r)));
        }
        return out;
    }

    /** Sessions of task one, of task two, or both interleaved at random. */
    static List<Sequence> interleaved(int n, long seed) {
        Random r = new Random(seed);
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(3);
            List<Integer> a = kind == 1 ? List.of() : walkOne(r);
            List<Integer> b = kind == 0 ? List.of() : walkTwo(r);
            List<Integer> keys = new ArrayList<>();
            int x = 0;
            int y = 0;
            while (x < a.size() || y < b.size()) {
                if (y == b.size() || (x < a.size() && r.nextBoolean())) {
                    keys.add(a.get(x++));
                } else {
                    keys.add(b.get(y++));
                }
            }
            out.add(session("m" + i, keys));
        }
        return out;
    }

    @BeforeAll
    static void train() {
        List<Sequence> training = taskOneSessions(400, 1);
        model = new DeepLogProvider().trainer(Params.of("history", "1", "topG", "2", "hidden", "16", "epochs", "60",
                        "batch", "64", "lr", "0.03", "patience", "5", "seed", "3", "workflows", "true"))
                .withTemplateTexts(Map.of(1, "open <*>", 2, "read block <*>", 6, "close <*>"))
                .fit(training, KeyVocabulary.of(training), Progress.NONE);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static Workflows workflows() {
        return ((DeepLogModels) model).workflows();
    }

    @Test
    void theWorkflowOfTheKeyModelsPredictionsEqualsTheKnownAutomaton() {
        Workflow w = workflows().model();
        assertEquals(TASK_ONE, w.edgeNames());
        assertEquals(List.of(1, 2, 3, 4, 5, 6), w.keys().stream().sorted().toList());
        assertTrue(w.forks().containsAll(List.of(2, 5)), "forks " + w.forks());
        assertTrue(w.joins().containsAll(List.of(2, 5)), "joins " + w.joins());
        assertEquals(List.of("5->2"), w.loops().stream().map(e -> e.from() + "->" + e.to()).toList());
        long fromOne = w.edges().stream().filter(e -> e.connects(1, 2)).findFirst().orElseThrow().count();
        assertEquals(400, fromOne, "every training session went 1 -> 2 once");
    }

    @Test
    void coOccurrenceClusteringSeparatesInterleavedTasksIntoTheirAutomata() {
        List<Workflow> tasks = WorkflowBuilder.fromCooccurrence(interleaved(600, 2), 0.3, 2);
        assertEquals(2, tasks.size(), "two tasks: " + tasks);
        Workflow one = tasks.stream().filter(w -> w.contains(1)).findFirst().orElseThrow();
        Workflow two = tasks.stream().filter(w -> w.contains(11)).findFirst().orElseThrow();
        assertEquals(TASK_ONE, one.edgeNames());
        assertEquals(TASK_TWO, two.edgeNames());
        assertEquals(List.of(11), two.forks(), "11 goes to 12 or straight to 13");
    }

    @Test
    void anAnomalyIsDiagnosedWithItsLastNormalStateTheUnexpectedTransitionAndTheExpectedNextStates() {
        Sequence bad = session("bad", List.of(1, 2, 3, 6));
        Verdict v = model.score(bad);
        assertTrue(v.anomalous());
        DiagnosedExplanation why = assertInstanceOf(DiagnosedExplanation.class, v.explanation());
        Diagnosis d = why.workflow();
        assertEquals(4, d.position());
        assertEquals(3, d.lastNormalState());
        assertEquals(6, d.unexpected());
        assertEquals(List.of(5), d.expectedNext());
        assertFalse(d.onPath());
        assertTrue(why.summary().contains("after key 3 came key 6; expected 5"), why.summary());

        Diagnosis early = Diagnosis.of(workflows().model(), new int[]{1, 2, 5}, -1);
        assertEquals(2, early.lastNormalState());
        assertEquals(Set.of(3, 4), Set.copyOf(early.expectedNext()));
        Diagnosis cut = Diagnosis.of(workflows().model(), new int[]{1, 2, 3}, -1);
        assertEquals(null, cut.unexpected(), "the session ended after 3");
        assertEquals(4, cut.position());
        assertEquals(null, Diagnosis.of(workflows().model(), new int[]{1, 2, 4, 5, 6}, -1), "a normal path");
    }

    @Test
    void picturesHighlightTheDivergenceInSvgAndPng() throws Exception {
        Diagnosis d = Diagnosis.of(workflows().model(), new int[]{1, 2, 3, 6}, -1);
        WorkflowPicture p = WorkflowPicture.of(workflows().model(), d, Map.of(2, "read block <*>"));
        String svg = p.svg();
        assertTrue(svg.startsWith("<svg"), svg);
        assertTrue(svg.contains("<g class=\"last\" id=\"state-3\">"), "the last normal state is highlighted");
        assertEquals(1, svg.split("class=\"unexpected\"", -1).length - 1, "one unexpected transition");
        assertTrue(svg.contains("class=\"expected\""), "the expected next transition is highlighted");
        assertTrue(svg.contains("read block &lt;*&gt;"), "templates are escaped");
        assertFalse(WorkflowPicture.of(workflows().model(), null, Map.of()).svg().contains("class=\"unexpected\""));
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        p.png(png);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
        assertNotNull(img);
        assertTrue(img.getWidth() > 400 && img.getHeight() > 100, img.getWidth() + "x" + img.getHeight());
    }

    @Test
    void workflowsAreSavedWithTheModelAndLoadBackTheSame(@TempDir Path dir) throws Exception {
        model.save(dir);
        try (Detector loaded = Detectors.load(dir)) {
            DeepLogModels both = assertInstanceOf(DeepLogModels.class, loaded);
            assertEquals(workflows(), both.workflows());
            List<Sequence> mixed = new ArrayList<>(taskOneSessions(20, 9));
            mixed.add(session("bad", List.of(1, 2, 3, 6)));
            mixed.add(session("short", Arrays.asList(1, 2)));
            assertEquals(Json.MAPPER.writeValueAsString(model.scoreAll(mixed)),
                    Json.MAPPER.writeValueAsString(loaded.scoreAll(mixed)));
        }
    }
}
