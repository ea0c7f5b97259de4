package io.anomalog.core.template;

import io.anomalog.core.util.AnomalogException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The settings of the template miner, the one place where a {@link Drain} is configured: every command and the
 * stream build their miner from an instance of this, the template store saves it ({@link #describe()}), and a
 * store made with other settings is refused when loaded ({@link #requireCompatible}), because the same line would
 * otherwise get other keys than the model was trained on.
 *
 * @param depth            Drain tree depth (4 = one token level, as in the paper)
 * @param similarity       fraction of equal tokens a line needs to join a template
 * @param maxChildren      children of a tree node before further tokens share a wildcard child
 * @param keepWords        two different words at one position keep lines apart
 * @param variableSiblings distinct words at one position that make it a variable (0: never)
 * @param merge            the non-word merge step before a new template is opened
 * @param joinRuns         a run of whole-value tokens is one variable (lists, call stacks, dates)
 * @param maxTemplates     the most templates kept (least recently used evicted beyond it; 0: no cap)
 * @param masks            extra regular expressions whose matches are variables, after the built-in masking
 */
public record MinerSettings(int depth, double similarity, int maxChildren, boolean keepWords, int variableSiblings,
                            boolean merge, boolean joinRuns, int maxTemplates, List<String> masks) {

    /** How the miner may change what it knows while it parses. */
    public enum Mode {
        /** Training and {@code parse}: new templates, generalisation and merges of templates. */
        LEARN,
        /**
         * Detection, batch and live alike: lines that fit no template open new ones (so they get a key of their
         * own, which the model has never seen), but known templates are never merged with each other (a merge
         * would map two keys the model tells apart onto one) nor evicted; the template cap bounds the new ones.
         */
        DETECT
    }

    private static final String MASK = "mask.";

    public MinerSettings {
        masks = masks == null ? List.of() : List.copyOf(masks);
        // the builder checks every value and says what is wrong
        builder(depth, similarity, maxChildren, keepWords, variableSiblings, merge, joinRuns, maxTemplates, masks);
    }

    /** The defaults: the same for every system and every command. */
    public static MinerSettings defaults() {
        Drain.Builder b = Drain.builder();
        Drain d = b.build();
        Map<String, String> m = d.settings();
        return new MinerSettings(Integer.parseInt(m.get("depth")), Double.parseDouble(m.get("similarity")),
                Integer.parseInt(m.get("maxChildren")), Boolean.parseBoolean(m.get("keepWords")),
                Integer.parseInt(m.get("variableSiblings")), Boolean.parseBoolean(m.get("merge")),
                Boolean.parseBoolean(m.get("joinRuns")), Integer.parseInt(m.get("maxTemplates")), List.of());
    }

    public MinerSettings withDepth(int d) {
        return new MinerSettings(d, similarity, maxChildren, keepWords, variableSiblings, merge, joinRuns,
                maxTemplates, masks);
    }

    public MinerSettings withSimilarity(double s) {
        return new MinerSettings(depth, s, maxChildren, keepWords, variableSiblings, merge, joinRuns, maxTemplates,
                masks);
    }

    public MinerSettings withMasks(List<String> extra) {
        return new MinerSettings(depth, similarity, maxChildren, keepWords, variableSiblings, merge, joinRuns,
                maxTemplates, extra);
    }

    public MinerSettings withMaxTemplates(int n) {
        return new MinerSettings(depth, similarity, maxChildren, keepWords, variableSiblings, merge, joinRuns, n,
                masks);
    }

    /** A miner over the store, learning as the mode allows. */
    public Drain miner(TemplateStore store, Mode mode) {
        Drain.Builder b = builder(depth, similarity, maxChildren, keepWords,
                mode == Mode.DETECT ? 0 : variableSiblings, merge, joinRuns, maxTemplates, masks);
        return b.keepStored(mode == Mode.DETECT).store(Objects.requireNonNull(store, "store")).build();
    }

    /** The settings in words, as the template store keeps them; extra masks as {@code mask.0}, {@code mask.1} ... */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>(
                builder(depth, similarity, maxChildren, keepWords, variableSiblings, merge, joinRuns, maxTemplates,
                        masks).build().settings());
        for (int i = 0; i < masks.size(); i++) {
            m.put(MASK + i, masks.get(i));
        }
        return m;
    }

    /**
     * Checks that a store was made with these settings.
     *
     * @param stored   the settings the store was saved with (empty for stores that recorded none)
     * @param override true to use these settings anyway
     * @throws AnomalogException naming each setting that differs and what to do
     */
    public void requireCompatible(Map<String, String> stored, String storeName, boolean override) {
        if (stored == null || stored.isEmpty() || override) {
            return;
        }
        Map<String, String> mine = describe();
        List<String> diffs = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(mine.keySet());
        stored.keySet().stream().filter(k -> k.startsWith(MASK)).forEach(keys::add);
        // the template cap bounds memory; it does not change which template a line gets
        keys.remove("maxTemplates");
        for (String k : keys) {
            String theirs = stored.get(k);
            String asked = mine.get(k);
            // a setting the store does not mention was added later: the store's miner had its default
            if ((theirs != null || k.startsWith(MASK)) && !Objects.equals(theirs, asked)) {
                diffs.add(k + " " + (theirs == null ? "unset" : theirs) + " (asked: " + (asked == null ? "unset" : asked)
                        + ")");
            }
        }
        if (!diffs.isEmpty()) {
            throw new AnomalogException("template store " + storeName + " was made with other miner settings: "
                    + String.join(", ", diffs) + "; run with the store's settings, or give --override-miner-settings"
                    + " to mine new lines with the settings asked (known templates keep their ids)");
        }
    }

    /** The settings a store was saved with, for commands that reuse a model's store; defaults where it is silent. */
    public static MinerSettings of(Map<String, String> stored) {
        MinerSettings d = defaults();
        if (stored == null || stored.isEmpty()) {
            return d;
        }
        try {
            return new MinerSettings(intOr(stored, "depth", d.depth), doubleOr(stored, "similarity", d.similarity),
                    intOr(stored, "maxChildren", d.maxChildren), boolOr(stored, "keepWords", d.keepWords),
                    intOr(stored, "variableSiblings", d.variableSiblings), boolOr(stored, "merge", d.merge),
                    boolOr(stored, "joinRuns", d.joinRuns), intOr(stored, "maxTemplates", d.maxTemplates),
                    masksOf(stored));
        } catch (NumberFormatException e) {
            throw new AnomalogException("the template store's miner settings cannot be read: " + stored);
        }
    }

    private static List<String> masksOf(Map<String, String> stored) {
        List<String> out = new ArrayList<>();
        for (int i = 0; stored.containsKey(MASK + i); i++) {
            out.add(stored.get(MASK + i));
        }
        return out;
    }

    private static int intOr(Map<String, String> m, String k, int d) {
        return m.containsKey(k) ? Integer.parseInt(m.get(k)) : d;
    }

    private static double doubleOr(Map<String, String> m, String k, double d) {
        return m.containsKey(k) ? Double.parseDouble(m.get(k)) : d;
    }

    private static boolean boolOr(Map<String, String> m, String k, boolean d) {
        return m.containsKey(k) ? Boolean.parseBoolean(m.get(k)) : d;
    }

    private static Drain.Builder builder(int depth, double similarity, int maxChildren, boolean keepWords,
                                         int variableSiblings, boolean merge, boolean joinRuns, int maxTemplates,
                                         List<String> masks) {
        MaskingRules.Builder mb = MaskingRules.builder();
        masks.forEach(mb::regex);
        return Drain.builder().depth(depth).similarity(similarity).maxChildren(maxChildren).keepWords(keepWords)
                .variableSiblings(variableSiblings).merge(merge).joinRuns(joinRuns).maxTemplates(maxTemplates)
                .masking(mb.build());
    }
}
