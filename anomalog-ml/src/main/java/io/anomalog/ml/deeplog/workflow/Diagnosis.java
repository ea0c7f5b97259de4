package io.anomalog.ml.deeplog.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.anomalog.core.detect.Explanation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a sequence left the normal path of a workflow: the walk along the automaton's edges from its start, the
 * first transition the automaton does not have (or, when it has them all, the first event the key model did not
 * expect, the key model seeing longer histories than one state).
 *
 * @param task            the workflow's task
 * @param position        1-based position of the unexpected event ({@code length + 1}: the end came unexpectedly)
 * @param lastNormalState the last state reached on the normal path (null: the start)
 * @param unexpected      the key that came instead (null: the sequence ended)
 * @param expectedNext    the states the workflow goes to from the last normal state, most frequent first (null in
 *                        the list: the end)
 * @param onPath          whether the unexpected transition is an edge of the workflow all the same (found by the
 *                        key model, not by the automaton)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Diagnosis(int task, int position, Integer lastNormalState, Integer unexpected,
                        List<Integer> expectedNext, boolean onPath) implements Explanation {

    /** Walks the sequence on the workflow; {@code keyModelPosition} (0-based, -1 for none) is the fallback. */
    public static Diagnosis of(Workflow w, int[] keys, int keyModelPosition) {
        Integer state = null;
        for (int i = 0; i < keys.length; i++) {
            if (!w.hasEdge(state, keys[i])) {
                return new Diagnosis(w.task(), i + 1, state, keys[i], w.next(state), false);
            }
            state = keys[i];
        }
        if (!w.hasEdge(state, null)) {
            return new Diagnosis(w.task(), keys.length + 1, state, null, w.next(state), false);
        }
        if (keyModelPosition < 0) {
            return null;
        }
        int p = Math.min(keyModelPosition, keys.length);
        Integer last = p == 0 ? null : keys[p - 1];
        Integer came = p == keys.length ? null : keys[p];
        return new Diagnosis(w.task(), p + 1, last, came, w.next(last), true);
    }

    @Override
    public String summary() {
        String next = expectedNext.stream().map(k -> k == null ? "end" : String.valueOf(k))
                .collect(Collectors.joining(", "));
        return "left workflow " + task + " at event " + position + ": after "
                + (lastNormalState == null ? "the start" : "key " + lastNormalState) + " came "
                + (unexpected == null ? "the end" : "key " + unexpected) + "; expected " + next
                + (onPath ? " (a transition of the workflow, unexpected in its longer history)" : "");
    }
}
