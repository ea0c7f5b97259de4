package io.anomalog.core.session;

/**
 * A change of a normal workflow, as an upgrade brings: a new step (log key) written after the first occurrence of
 * an existing one. Sessions changed this way are still normal; a model trained before the change has never seen
 * the new key. Used by the simulators and by the online-update benchmark.
 */
public final class WorkflowChange {

    private WorkflowChange() {
    }

    /**
     * The keys with {@code newKey} inserted after the first {@code anchor} (after the first key when the anchor
     * does not occur).
     */
    public static int[] insertAfterFirst(int[] keys, int anchor, int newKey) {
        int at = Math.min(1, keys.length);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == anchor) {
                at = i + 1;
                break;
            }
        }
        int[] out = new int[keys.length + 1];
        System.arraycopy(keys, 0, out, 0, at);
        out[at] = newKey;
        System.arraycopy(keys, at, out, at + 1, keys.length - at);
        return out;
    }
}
