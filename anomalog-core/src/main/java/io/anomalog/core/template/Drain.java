package io.anomalog.core.template;

import io.anomalog.core.log.LogRecord;
import io.anomalog.core.util.AnomalogException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Streaming Drain (He et al., ICWS 2017): a fixed-depth prefix tree (message length, then the first tokens) leads
 * to a short list of templates, and the most similar one above a threshold takes the line; differing tokens
 * become {@code <*>}. On top of the published algorithm:
 * <ul>
 *   <li>masking ({@link MaskingRules}) before the search: IPs, numbers, ids, paths and digit-bearing tokens are
 *       variables from the start, so they neither split the tree nor lower the similarity;</li>
 *   <li>similarity counts only positions that are not variables on both sides, so lines of a many-variable
 *       event still find their template, and a template the line fits exactly is preferred;</li>
 *   <li>word guard: two different words (letters only) at one position keep lines apart ("session opened" vs
 *       "session closed"), where plain Drain would merge them at similarity 0.5;</li>
 *   <li>sibling rule (frequency idea of Brain): when templates of one length differ only by the word at one
 *       position and at least {@code variableSiblings} distinct words occur there, that position is a variable:
 *       the templates merge into the oldest, and the others' ids become aliases recorded in the store;</li>
 *   <li>messages shorter than the tree depth are stored at the last token level (the reference implementation
 *       never stores them, so they never match).</li>
 * </ul>
 * Ids come from a {@link TemplateStore} and stay stable across runs.
 *
 * <p>Thread safety: {@link #match} and the common case of {@link #add} (the line fits a known template exactly)
 * take no lock: tree nodes use concurrent maps, leaf template lists are copy-on-write arrays and template token
 * arrays are replaced, never modified. Only creating or generalising a template takes the lock.
 */
public final class Drain implements TemplateMiner {

    private static final String WILD = MaskingRules.WILDCARD;
    private static final Cluster[] NO_CLUSTERS = new Cluster[0];

    private final int depth;
    private final double similarity;
    private final int maxChildren;
    private final boolean merge;
    private final int variableSiblings;
    private final boolean wordGuard;
    private final MaskingRules masking;
    private final TemplateStore store;
    private final ConcurrentHashMap<Integer, Node> byLength = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Cluster> byId = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    /** A template in the tree: the store entry (id, text, count) and its tokens. */
    /** A template's tokens and text, replaced together so a lock-free reader never sees one without the other. */
    record View(String[] tokens, String text) {
    }

    static final class Cluster {
        final TemplateStore.Entry entry;
        volatile View view;

        Cluster(TemplateStore.Entry entry, String[] tokens) {
            this.entry = entry;
            this.view = new View(tokens, entry.text());
        }

        String[] tokens() {
            return view.tokens();
        }

        /** Generalises the template: the new tokens and text become visible to readers in one write. */
        void generalise(String[] tokens, String text) {
            view = new View(tokens, text);
        }
    }

    static final class Node {
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>(4);
        volatile Cluster[] clusters = NO_CLUSTERS;
    }

    private Drain(Builder b) {
        this.depth = b.depth;
        this.similarity = b.similarity;
        this.maxChildren = b.maxChildren;
        this.merge = b.merge;
        this.wordGuard = b.keepWords;
        this.variableSiblings = b.variableSiblings;
        this.masking = b.masking;
        this.store = b.store != null ? b.store : new TemplateStore();
        for (TemplateStore.Entry e : store.entries()) {
            String[] tokens = Tokens.split(e.text());
            Cluster c = new Cluster(e, tokens);
            byId.put(e.id(), c);
            insert(c);
        }
        store.aliases().forEach((from, to) -> {
            Cluster target = byId.get(store.resolve(to));
            if (target != null) {
                byId.put(from, target);
            }
        });
        if (store.settings().isEmpty()) {
            store.settings(settings());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The store holding this miner's templates and ids. */
    public TemplateStore store() {
        return store;
    }

    public MaskingRules masking() {
        return masking;
    }

    /** The settings in words, saved with the template store. */
    public Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("miner", "drain");
        m.put("depth", Integer.toString(depth));
        m.put("similarity", Double.toString(similarity));
        m.put("maxChildren", Integer.toString(maxChildren));
        m.put("merge", Boolean.toString(merge));
        m.put("keepWords", Boolean.toString(wordGuard));
        m.put("variableSiblings", Integer.toString(variableSiblings));
        m.put("masking", masking.describe());
        return m;
    }

    /** The masked tokens the tree works on (exposed for tests and diagnostics). */
    public String[] maskedTokens(String content) {
        return line(content).tokens();
    }

    private Line line(String content) {
        return Line.of(masking.applyRegex(content), masking);
    }

    @Override
    public ParsedEvent add(LogRecord record) {
        Line line = line(record.content());
        Cluster c = search(line);
        if (c == null || !fits(c.tokens(), line)) {
            String[] tokens = line.tokens();
            lock.lock();
            try {
                c = learn(tokens);
            } finally {
                lock.unlock();
            }
        }
        c.entry.count();
        return event(record, c, line);
    }

    @Override
    public Optional<ParsedEvent> match(LogRecord record) {
        Line line = line(record.content());
        Cluster c = search(line);
        return c == null ? Optional.empty() : Optional.of(event(record, c, line));
    }

    /** The template with this id, if known. */
    public Optional<String> template(int id) {
        Cluster c = byId.get(id);
        return c == null ? Optional.empty() : Optional.of(c.entry.text());
    }

    /** The current id of a template id: itself, or the template it was merged into. */
    public int resolve(int id) {
        Cluster c = byId.get(id);
        return c == null ? id : c.entry.id();
    }


    /** Number of templates. */
    public int size() {
        return byId.size();
    }

    private ParsedEvent event(LogRecord record, Cluster c, Line line) {
        View v = c.view;   // one read: tokens and text of the same version
        return new ParsedEvent(record, c.entry.id(), v.text(), parameters(record.content(), line, v.tokens(), v.text()));
    }

    /** The values of the template's wildcards in the message, in order. */
    List<String> parameters(String content, Line line, String[] template, String text) {
        if (!text.contains(WILD)) {
            return List.of();
        }
        List<String> out = new ArrayList<>(4);
        if (masking.tokenAligned() && line.size == template.length) {
            for (int i = 0; i < template.length; i++) {
                if (template[i].contains(WILD)) {
                    Tokens.extract(template[i], line.raw(i), out);
                }
            }
            return out;
        }
        // regex masking may have joined or split tokens: match the whole template against the message
        List<String> pieces = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = text.indexOf(WILD, from)) >= 0) {
            pieces.add(text.substring(from, at));
            from = at + 3;
        }
        pieces.add(text.substring(from));
        if (!Tokens.matchPieces(pieces, Tokens.join(Tokens.split(content)), out)) {
            out.clear();
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- tree search

    private Cluster search(String[] tokens) {
        return search(Line.ofTokens(tokens));
    }

    private Cluster search(Line line) {
        Node node = byLength.get(line.size);
        if (node == null) {
            return null;
        }
        return search(node, line, 0, Math.min(depth - 3, line.size));
    }

    /** Follows the token's child, and the wildcard child when that finds nothing (a cheap, bounded backtrack). */
    private Cluster search(Node node, Line line, int level, int levels) {
        if (level == levels) {
            return bestMatch(node.clusters, line);
        }
        Node exact = node.children.get(line.token(level));
        if (exact != null) {
            Cluster c = search(exact, line, level + 1, levels);
            if (c != null) {
                return c;
            }
        }
        Node wild = node.children.get(WILD);
        return wild == null || wild == exact ? null : search(wild, line, level + 1, levels);
    }

    /** An exact fit wins; otherwise the most similar template above the threshold (ties: more wildcards). */
    private Cluster bestMatch(Cluster[] clusters, Line line) {
        Cluster best = null;
        double bestSim = -1;
        int bestParams = -1;
        for (Cluster c : clusters) {
            String[] t = c.tokens();
            int same = 0;
            int params = 0;
            int compared = 0;
            boolean fits = true;
            boolean blocked = false;
            for (int i = 0; i < t.length; i++) {
                String a = t[i];
                boolean wild = a.equals(WILD);
                if (line.tokenEquals(i, a)) {
                    if (wild) {
                        params++;      // both variables: says nothing about the event, so not compared
                    } else {
                        same++;
                        compared++;
                    }
                } else if (wild) {
                    params++;
                    compared++;
                } else {
                    fits = false;
                    compared++;
                    if (wordGuard && isWord(a) && line.isWord(i)) {
                        blocked = true;
                    }
                }
            }
            // a template of wildcards only would swallow every line of its length: it takes only such lines
            if (fits && (same > 0 || line.allWildcards())) {
                return c;
            }
            if (blocked) {
                continue;
            }
            double sim = compared == 0 ? 1.0 : (double) same / compared;
            if (sim > bestSim || (sim == bestSim && params > bestParams)) {
                best = c;
                bestSim = sim;
                bestParams = params;
            }
        }
        return bestSim >= similarity ? best : null;
    }

    private static boolean fits(String[] template, String[] tokens) {
        return fits(template, Line.ofTokens(tokens));
    }

    private static boolean fits(String[] template, Line line) {
        for (int i = 0; i < template.length; i++) {
            if (!template[i].equals(WILD) && !line.tokenEquals(i, template[i])) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------- learning

    /** Called under the lock: search again (another thread may have learnt it), then create or generalise. */
    private Cluster learn(String[] tokens) {
        Cluster c = search(tokens);
        if (c == null && variableSiblings > 0) {
            c = mergeSiblings(tokens);
        }
        if (c == null) {
            c = merge ? mergeCandidate(tokens) : null;
            if (c == null) {
                Cluster created = new Cluster(store.create(Tokens.join(tokens)), tokens);
                byId.put(created.entry.id(), created);
                insert(created);
                return created;
            }
        }
        if (!fits(c.tokens(), tokens)) {
            String[] general = generalise(c.tokens(), tokens);
            String text = Tokens.join(general);
            store.generalise(c.entry, text);
            c.generalise(general, text);
        }
        return c;
    }

    /**
     * The sibling rule: when the line differs from several templates of its length in one and the same word
     * position only, and there are at least {@code variableSiblings} distinct words there (counting the line),
     * that position is a variable: the oldest sibling is generalised and the others become aliases of it.
     */
    private Cluster mergeSiblings(String[] tokens) {
        Node node = byLength.get(tokens.length);
        if (node == null || tokens.length < 2) {
            return null;
        }
        List<Cluster> all = new ArrayList<>();
        collect(node, all);
        Map<Integer, List<Cluster>> byPosition = new LinkedHashMap<>();
        for (Cluster c : all) {
            String[] t = c.tokens();
            int pos = -1;
            boolean ok = true;
            for (int i = 0; i < t.length && ok; i++) {
                if (t[i].equals(tokens[i]) || t[i].equals(WILD)) {
                    continue;
                }
                if (pos >= 0 || !isWord(t[i]) || !isWord(tokens[i])) {
                    ok = false;
                }
                pos = i;
            }
            int constants = 0;
            for (int i = 0; i < t.length; i++) {
                if (i != pos && !t[i].contains(WILD)) {
                    constants++;
                }
            }
            // the rest of the template must still name the event: at least two words and half the tokens
            if (ok && pos >= 0 && constants >= Math.max(2, (t.length + 1) / 2)) {
                byPosition.computeIfAbsent(pos, k -> new ArrayList<>()).add(c);
            }
        }
        for (var e : byPosition.entrySet()) {
            List<Cluster> siblings = e.getValue();
            if (siblings.size() + 1 >= variableSiblings) {
                Cluster survivor = siblings.get(0);
                for (Cluster c : siblings) {
                    if (c.entry.id() < survivor.entry.id()) {
                        survivor = c;
                    }
                }
                String[] general = survivor.tokens().clone();
                general[e.getKey()] = WILD;
                for (Cluster c : siblings) {
                    if (c != survivor) {
                        general = generalise(general, c.tokens());
                        remove(c);
                        store.alias(c.entry, survivor.entry);
                        // every id that stood for c (its own and the aliases merged into it earlier) now resolves
                        // to the survivor, so chains of merges resolve in one step
                        Cluster merged = c;
                        Cluster into = survivor;
                        byId.replaceAll((id, cluster) -> cluster == merged ? into : cluster);
                    }
                }
                remove(survivor);
                String text = Tokens.join(general);
                store.generalise(survivor.entry, text);
                survivor.generalise(general, text);
                insert(survivor);       // a generalised first token moves it under the wildcard child
                return survivor;
            }
        }
        return null;
    }

    private void remove(Cluster c) {
        Node node = byLength.get(c.tokens().length);
        removeFrom(node, c);
    }

    private static void removeFrom(Node node, Cluster c) {
        Cluster[] cs = node.clusters;
        for (int i = 0; i < cs.length; i++) {
            if (cs[i] == c) {
                Cluster[] out = new Cluster[cs.length - 1];
                System.arraycopy(cs, 0, out, 0, i);
                System.arraycopy(cs, i + 1, out, i, cs.length - i - 1);
                node.clusters = out;
                return;
            }
        }
        for (Node child : node.children.values()) {
            removeFrom(child, c);
        }
    }

    private static String[] generalise(String[] template, String[] tokens) {
        String[] out = template.clone();
        for (int i = 0; i < out.length; i++) {
            if (!out[i].equals(tokens[i])) {
                out[i] = WILD;
            }
        }
        return out;
    }

    /**
     * The merge step: a template of the same length that the line would join if the differing tokens were
     * variables. Tokens differ "as variables" when one side is a wildcard, or both are non-words (they hold a
     * character other than letters, '-' or '_', and neither is a keyword-like token). Only templates reachable by
     * the first token ignore the tree; at most {@code 1 - similarity} of the positions may differ.
     */
    private Cluster mergeCandidate(String[] tokens) {
        if (tokens.length == 0) {
            return null;
        }
        Node node = byLength.get(tokens.length);
        if (node == null) {
            return null;
        }
        List<Cluster> candidates = new ArrayList<>();
        collect(node, candidates);
        Cluster best = null;
        int bestDiff = Integer.MAX_VALUE;
        int allowed = (int) Math.floor(tokens.length * (1 - similarity));
        for (Cluster c : candidates) {
            String[] t = c.tokens();
            int diff = 0;
            boolean ok = true;
            for (int i = 0; i < t.length && ok; i++) {
                if (t[i].equals(tokens[i])) {
                    continue;
                }
                diff++;
                ok = (t[i].equals(WILD) || tokens[i].equals(WILD)
                        || (!isWord(t[i]) && !isWord(tokens[i])))
                        && diff <= Math.max(1, allowed);
            }
            if (ok && diff < bestDiff) {
                best = c;
                bestDiff = diff;
            }
        }
        return best;
    }

    /**
     * A word: a token with letters and no digit or wildcard ("closed", "user=root", "(Lifecycle"). Different words
     * at one position usually name different events; digit-bearing tokens are values.
     */
    static boolean isWord(String t) {
        if (t.contains(WILD)) {
            return false;
        }
        boolean letter = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                return false;
            }
            letter |= Character.isLetter(c);
        }
        return letter;
    }

    private static void collect(Node node, List<Cluster> out) {
        out.addAll(Arrays.asList(node.clusters));
        for (Node child : node.children.values()) {
            collect(child, out);
        }
    }

    /** Adds a template to the tree (the reference insertion rule, with wildcard children for digit tokens). */
    private void insert(Cluster c) {
        String[] tokens = c.tokens();
        Node node = byLength.computeIfAbsent(tokens.length, k -> new Node());
        int levels = Math.min(depth - 3, tokens.length);
        for (int i = 0; i < levels; i++) {
            String token = tokens[i];
            Node next = node.children.get(token);
            if (next == null) {
                if (hasDigitOrWildcard(token)) {
                    next = node.children.computeIfAbsent(WILD, k -> new Node());
                } else if (node.children.containsKey(WILD)) {
                    next = node.children.size() < maxChildren
                            ? node.children.computeIfAbsent(token, k -> new Node()) : node.children.get(WILD);
                } else if (node.children.size() + 1 < maxChildren) {
                    next = node.children.computeIfAbsent(token, k -> new Node());
                } else {
                    next = node.children.computeIfAbsent(WILD, k -> new Node());
                }
            }
            node = next;
        }
        Cluster[] old = node.clusters;
        Cluster[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = c;
        node.clusters = grown;
    }

    private static boolean hasDigitOrWildcard(String token) {
        return token.contains(WILD) || MaskingRules.hasDigit(token, 0, token.length());
    }

    /** Configures a {@link Drain}: {@code Drain.builder().depth(4).similarity(0.5).maxChildren(100).build()}. */
    public static final class Builder {
        private int depth = 4;
        private double similarity = 0.5;
        private int maxChildren = 100;
        private boolean merge = false;
        private boolean keepWords = true;
        private int variableSiblings = 4;
        private MaskingRules masking = MaskingRules.defaults();
        private TemplateStore store;

        /** Tree depth as in the paper: 4 = root, length, one token level, leaves. At least 3. */
        public Builder depth(int depth) {
            if (depth < 3) {
                throw new AnomalogException("Drain depth must be at least 3, got " + depth);
            }
            this.depth = depth;
            return this;
        }

        /** Fraction of equal tokens a line needs to join a template (0..1). */
        public Builder similarity(double similarity) {
            if (!(similarity >= 0 && similarity <= 1)) {
                throw new AnomalogException("Drain similarity must be in [0, 1], got " + similarity);
            }
            this.similarity = similarity;
            return this;
        }

        /** Most children of a tree node before further tokens share a wildcard child. */
        public Builder maxChildren(int maxChildren) {
            if (maxChildren < 2) {
                throw new AnomalogException("Drain maxChildren must be at least 2, got " + maxChildren);
            }
            this.maxChildren = maxChildren;
            return this;
        }

        public Builder masking(MaskingRules masking) {
            this.masking = masking;
            return this;
        }

        /**
         * Whether two different words at one position keep lines apart (default true): "session opened" and
         * "session closed" are different events even though most tokens agree.
         */
        public Builder keepWords(boolean keepWords) {
            this.keepWords = keepWords;
            return this;
        }

        /**
         * How many distinct words at one position (with the rest of the template equal) make that position a
         * variable and merge the templates (default 4; 0 turns the sibling rule off).
         */
        public Builder variableSiblings(int variableSiblings) {
            this.variableSiblings = variableSiblings;
            return this;
        }

        /** Whether the non-word merge step runs before a new template is opened (default false). */
        public Builder merge(boolean merge) {
            this.merge = merge;
            return this;
        }

        /** The store to take ids from (and add to); a fresh empty store when not given. */
        public Builder store(TemplateStore store) {
            this.store = store;
            return this;
        }

        public Drain build() {
            return new Drain(this);
        }
    }
}
