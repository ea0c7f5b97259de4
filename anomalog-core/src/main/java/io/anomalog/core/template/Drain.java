package io.anomalog.core.template;

import io.anomalog.core.log.LogRecord;
import io.anomalog.core.util.AnomalogException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
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
 * arrays are replaced, never modified. Only creating or generalising a template takes the lock. Lines added from
 * several threads at once get ids in the order the threads happen to learn them; {@link #guess} on many threads
 * with {@link #settle} in input order gives the ids and templates of adding the lines one after another.
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
    private final boolean joinRuns;
    private final int maxTemplates;
    /** Whether the templates the store held when this miner was built are never evicted (detection). */
    private final boolean keepStored;
    /** How many templates are kept from eviction: the cap counts the others. */
    private final int kept;
    private final MaskingRules masking;
    private final TemplateStore store;
    private final ConcurrentHashMap<Integer, Node> byLength = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Cluster> byId = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Templates created so far: the clock of least-recently-used eviction. */
    private volatile long clock;
    /** Templates in the order they were (re)queued for eviction; guarded by the lock. */
    private final ArrayDeque<Cluster> evictionQueue = new ArrayDeque<>();
    /** Templates by their skeleton (words without values), to find a form of another length; guarded by the lock. */
    private final Map<String, Cluster> bySkeleton = new java.util.HashMap<>();
    private volatile long evicted;
    /**
     * Changes to the templates of each length (slot: length modulo {@value #CHANGE_SLOTS}), counted after each
     * change is made: a {@link Guess} made while a slot did not move saw the same templates as a line read in
     * order would. Lengths sharing a slot only make a guess be redone, never wrongly kept.
     */
    private final AtomicLongArray changes = new AtomicLongArray(CHANGE_SLOTS);
    private static final int CHANGE_SLOTS = 256;

    /** A template in the tree: the store entry (id, text, count) and its tokens. */
    /** A template's tokens and text, replaced together so a lock-free reader never sees one without the other. */
    record View(String[] tokens, String text, boolean[] plainWords) {
        View(String[] tokens, String text) {
            this(tokens, text, plainWords(tokens));
        }

        /** Which tokens are plain words, worked out once per template version for the word guard. */
        private static boolean[] plainWords(String[] tokens) {
            boolean[] out = new boolean[tokens.length];
            for (int i = 0; i < tokens.length; i++) {
                out[i] = TokenKinds.isPlainWord(tokens[i]);
            }
            return out;
        }
    }

    static final class Cluster {
        final TemplateStore.Entry entry;
        volatile View view;
        /** The creation count when last used (written only when it changed, so shared readers stay cheap). */
        volatile long lastUsed;
        /** The creation count when put in the eviction queue. */
        long queued;
        /** The leaf that holds it, so removing it does not search the tree. */
        Node leaf;
        /** Ids merged into this template: they go with it when it is evicted. */
        List<Integer> aliasIds = List.of();
        /** For a form of another length of a template: that template (whose id and store entry it shares). */
        Cluster primary;
        /** The forms of other lengths of this template. */
        List<Cluster> forms = List.of();

        Cluster owner() {
            return primary == null ? this : primary;
        }

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
        this.joinRuns = b.joinRuns;
        this.maxTemplates = b.maxTemplates;
        this.keepStored = b.keepStored;
        this.masking = b.masking;
        this.store = b.store != null ? b.store : new TemplateStore();
        for (TemplateStore.Entry e : store.entries()) {
            String[] tokens = Line.split(e.text());
            Cluster c = new Cluster(e, tokens);
            byId.put(e.id(), c);
            insert(c);
            if (!keepStored) {
                evictionQueue.add(c);
            }
            indexSkeleton(c);
        }
        this.kept = keepStored ? store.size() : 0;
        store.aliases().forEach((from, to) -> {
            Cluster target = byId.get(store.resolve(to));
            if (target != null) {
                byId.put(from, target);
                target.aliasIds = plus(target.aliasIds, List.of(from));
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
        m.put("joinRuns", Boolean.toString(joinRuns));
        m.put("maxTemplates", Integer.toString(maxTemplates));
        m.put("masking", masking.describe());
        return m;
    }

    /** The masked tokens the tree works on (exposed for tests and diagnostics). */
    public String[] maskedTokens(String content) {
        return line(content).tokens();
    }

    private Line line(String content) {
        return Line.of(masking.applyRegex(content), masking, joinRuns);
    }

    @Override
    public ParsedEvent add(LogRecord record) {
        return add(record, line(record.content()));
    }

    private ParsedEvent add(LogRecord record, Line line) {
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
        touch(c.owner());
        return event(record, c, line);
    }

    @Override
    public Optional<ParsedEvent> match(LogRecord record) {
        Line line = line(record.content());
        Cluster c = search(line);
        if (c == null) {
            return Optional.empty();
        }
        touch(c.owner());
        return Optional.of(event(record, c, line));
    }

    /**
     * What {@link #add} would give a line if no template changed before it: the look-up without learning, taking
     * no lock, for a worker thread. {@link #settle} then decides it in input order. Counts and recency are left to
     * {@code settle}, so eviction sees the lines in their order.
     */
    public Guess guess(LogRecord record) {
        Line line = line(record.content());
        long seen = changes.get(slot(line.size));   // read before the search: a change made during it shows
        Cluster c = search(line);
        if (c == null || !fits(c.tokens(), line)) {
            return new Guess(record, line, null, seen, null);
        }
        return new Guess(record, line, c, seen, event(record, c, line));
    }

    /**
     * The line's event as {@link #add} gives it, called in input order from one thread: the guess when no
     * template of its length changed since it was made (the templates it saw are those the line meets in order),
     * otherwise the line is added again now. Events, ids and learning are then exactly those of adding the lines
     * one after another.
     */
    public ParsedEvent settle(Guess g) {
        Cluster c = g.cluster;
        if (c != null && changes.get(slot(g.line.size)) == g.seen) {
            c.entry.count();
            touch(c.owner());
            return g.event;
        }
        return add(g.record, g.line);
    }

    /** A line looked up by {@link #guess}, to be settled in input order by {@link #settle}. */
    public static final class Guess {
        private final LogRecord record;
        private final Line line;
        private final Cluster cluster;
        private final long seen;
        private final ParsedEvent event;

        private Guess(LogRecord record, Line line, Cluster cluster, long seen, ParsedEvent event) {
            this.record = record;
            this.line = line;
            this.cluster = cluster;
            this.seen = seen;
            this.event = event;
        }

        public LogRecord record() {
            return record;
        }

        /** The event the line gets if no template changes before it is settled; null when it needs learning. */
        public ParsedEvent event() {
            return event;
        }
    }

    private static int slot(int length) {
        return length & (CHANGE_SLOTS - 1);
    }

    /** Called under the lock after a template of this length was added, removed or changed. */
    private void changed(int length) {
        changes.incrementAndGet(slot(length));
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


    /** Number of ids known: templates and the ids merged into them. */
    public int size() {
        return byId.size();
    }

    /** Templates evicted so far because the cap ({@link Builder#maxTemplates}) was reached. */
    public long evicted() {
        return evicted;
    }

    private void touch(Cluster c) {
        long now = clock;
        if (c.lastUsed != now) {
            c.lastUsed = now;
        }
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
            View v = c.view;
            String[] t = v.tokens();
            boolean[] plain = v.plainWords();
            int same = 0;
            int params = 0;
            int compared = 0;
            boolean fits = true;
            boolean blocked = false;
            int keyWords = 0;
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
                    compared++;
                    if (line.isSymbols(i)) {
                        fits = false;          // punctuation is layout, never a value
                        if (wordGuard) {
                            blocked = true;
                            break;
                        }
                    } else {
                        params++;
                    }
                } else if (a.indexOf('<') >= 0 && TokenKinds.covers(a, line.token(i))) {
                    same++;                    // a template token with a wildcard inside (uid=<*>) covers it
                    compared++;
                } else {
                    fits = false;
                    compared++;
                    if (wordGuard && plain[i] && line.isPlainWord(i)) {
                        if (!unitAfterValue(t, line, i)) {
                            blocked = true;    // two different words: the common case, decided without copying
                            break;
                        }
                    } else if (wordGuard) {
                        String b = line.token(i);
                        if (TokenKinds.sameKeyOtherWord(a, b)) {
                            keyWords++;
                        } else if (TokenKinds.keepApart(a, b) && !unitAfterValue(t, line, i)) {
                            blocked = true;
                            break;             // not a candidate: the rest of the template does not matter
                        }
                    }
                }
            }
            // a template of wildcards only would swallow every line of its length: it takes only such lines
            if (fits && (same > 0 || line.allWildcards())) {
                return c;
            }
            // one key with another word value is another word; the values of several keys differing at once are
            // fields of one event
            if (blocked || keyWords == 1) {
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

    /**
     * Two short words right after a value on both sides are its unit ({@code 5.2 KB}, {@code 384 B}), not the
     * name of an event: they do not keep the line apart.
     */
    private static boolean unitAfterValue(String[] template, Line line, int i) {
        return i > 0 && template[i - 1].equals(WILD) && line.isWildcard(i - 1) && isUnitLike(template[i])
                && isUnitLike(line.token(i));
    }

    private static boolean isUnitLike(String t) {
        int n = t.length();
        while (n > 0 && (t.charAt(n - 1) == ',' || t.charAt(n - 1) == ')' || t.charAt(n - 1) == '.')) {
            n--;
        }
        if (n == 0 || n > 3) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!Character.isLetter(t.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean fits(String[] template, String[] tokens) {
        return fits(template, Line.ofTokens(tokens));
    }

    private static boolean fits(String[] template, Line line) {
        for (int i = 0; i < template.length; i++) {
            String a = template[i];
            if (a.equals(WILD)) {
                if (line.isSymbols(i)) {
                    return false;
                }
            } else if (!line.tokenEquals(i, a) && !(a.indexOf('<') >= 0 && TokenKinds.covers(a, line.token(i)))) {
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
        if (c == null && merge) {
            c = mergeCandidate(tokens);
        }
        if (c == null && joinRuns) {
            c = otherLength(tokens);
        }
        if (c == null) {
            if (maxTemplates > 0 && store.size() - kept >= maxTemplates) {
                evictLeastRecentlyUsed();
            }
            Cluster created = new Cluster(store.create(Tokens.join(tokens)), tokens);
            long now = ++clock;
            created.lastUsed = now;
            created.queued = now;
            evictionQueue.add(created);
            byId.put(created.entry.id(), created);
            insert(created);
            indexSkeleton(created);
            return created;
        }
        if (!fits(c.tokens(), tokens)) {
            String[] general = generalise(c.tokens(), tokens);
            String text = Tokens.join(general);
            if (c.primary == null) {
                store.generalise(c.entry, text);
                c.generalise(general, text);
                changed(general.length);
                indexSkeleton(c);
                absorb(c);
            } else {
                c.generalise(general, text);   // a form of another length: the template's own text stays
                changed(general.length);
            }
        }
        return c;
    }

    /**
     * Optional value groups: when no template of the line's length fits, a template of another length with the
     * same words once values are left out ({@code 12 bytes (1.2 KB) sent} against {@code 0 bytes sent}) is the
     * same event. The line gets a form of that template in its own length, sharing its id.
     */
    private Cluster otherLength(String[] tokens) {
        String key = skeleton(tokens);
        if (key == null) {
            return null;
        }
        Cluster base = bySkeleton.get(key);
        if (base == null || byId.get(base.entry.id()) != base || base.tokens().length == tokens.length) {
            return null;
        }
        Cluster form = new Cluster(base.entry, tokens);
        form.view = new View(tokens, Tokens.join(tokens));
        form.primary = base;
        base.forms = plus(base.forms, form);
        insert(form);
        return form;
    }

    private void indexSkeleton(Cluster c) {
        String key = skeleton(c.tokens());
        if (key != null) {
            Cluster old = bySkeleton.get(key);
            if (old == null || byId.get(old.entry.id()) != old) {
                bySkeleton.put(key, c);
            }
        }
    }

    /**
     * The words of a template with its values left out: tokens that are wildcards with punctuation only
     * ({@code <*>}, {@code (<*>}, {@code ()}) and short unit words right after them ({@code KB)}, {@code sec}).
     * Null when the tokens have no value (nothing optional) or no word.
     */
    static String skeleton(String[] tokens) {
        StringBuilder sb = new StringBuilder();
        boolean values = false;
        boolean afterValue = false;
        for (String t : tokens) {
            boolean value = TokenKinds.isBareValue(t) || (afterValue && isUnitLike(t));
            if (value) {
                values = true;
            } else {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(t);
            }
            afterValue = value;
        }
        return values && sb.length() > 0 ? sb.toString() : null;
    }

    private static List<Cluster> plus(List<Cluster> a, Cluster c) {
        List<Cluster> out = new ArrayList<>(a.size() + 1);
        out.addAll(a);
        out.add(c);
        return out;
    }

    /**
     * After a template was generalised, the other templates of its length that it now covers are the same event
     * seen before the variable was known ({@code ... for user uucp ...} next to {@code ... for user <*> ...}):
     * they are merged into it, their ids becoming aliases, so no line of that event keeps a template of its own.
     */
    private void absorb(Cluster c) {
        Node node = byLength.get(c.tokens().length);
        if (node == null) {
            return;
        }
        List<Cluster> all = new ArrayList<>();
        collect(node, all);
        for (Cluster o : all) {
            if (o != c && o.primary == null && fits(c.tokens(), o.tokens())) {
                mergeInto(o, c);
            }
        }
    }

    /** Removes {@code from} from the tree; its id (and the ids already merged into it) now stand for {@code into}. */
    private void mergeInto(Cluster from, Cluster into) {
        remove(from);
        for (Cluster f : from.forms) {
            remove(f);                       // the merged template's other lengths are learnt again if they recur
        }
        store.alias(from.entry, into.entry);
        List<Integer> moved = plus(from.aliasIds, List.of(from.entry.id()));
        for (int id : moved) {
            byId.put(id, into);
        }
        into.aliasIds = plus(into.aliasIds, moved);
        from.aliasIds = List.of();
    }

    private static List<Integer> plus(List<Integer> a, List<Integer> b) {
        List<Integer> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    /**
     * Called under the lock when the cap is reached: evicts the template unused for the longest time, as a CLOCK
     * approximation of least-recently-used: the oldest queued template that was used since it was queued goes to
     * the back with a new stamp, the first one that was not is evicted. Its id, and the ids merged into it, are
     * forgotten and never given again (the store's next id only grows).
     */
    private void evictLeastRecentlyUsed() {
        Cluster c;
        while ((c = evictionQueue.poll()) != null) {
            if (byId.get(c.entry.id()) != c) {
                continue;                       // merged into another template meanwhile
            }
            if (c.lastUsed > c.queued) {
                c.queued = clock;
                evictionQueue.add(c);
                continue;
            }
            remove(c);
            for (Cluster f : c.forms) {
                remove(f);
            }
            byId.remove(c.entry.id());
            for (int id : c.aliasIds) {
                byId.remove(id);
            }
            store.evict(c.entry, c.aliasIds);
            evicted++;
            return;
        }
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
            if (c.primary != null) {
                continue;                   // forms of other lengths follow their template
            }
            String[] t = c.tokens();
            int pos = -1;
            boolean ok = true;
            for (int i = 0; i < t.length && ok; i++) {
                if (t[i].equals(tokens[i]) || t[i].equals(WILD)) {
                    continue;
                }
                if (pos >= 0 || !TokenKinds.isConstantWord(t[i]) || !TokenKinds.isConstantWord(tokens[i])) {
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
                int pos = e.getKey();
                general[pos] = TokenKinds.generaliseToken(general[pos], tokens[pos]);
                for (Cluster c : siblings) {
                    if (c != survivor) {
                        general = generalise(general, c.tokens());
                        // every id that stood for c (its own and the aliases merged into it earlier) now resolves
                        // to the survivor, so chains of merges resolve in one step
                        mergeInto(c, survivor);
                    }
                }
                remove(survivor);
                String text = Tokens.join(general);
                store.generalise(survivor.entry, text);
                survivor.generalise(general, text);
                insert(survivor);       // a generalised first token moves it under the wildcard child
                absorb(survivor);
                return survivor;
            }
        }
        return null;
    }

    private void remove(Cluster c) {
        Node node = c.leaf;
        Cluster[] cs = node.clusters;
        for (int i = 0; i < cs.length; i++) {
            if (cs[i] == c) {
                Cluster[] out = new Cluster[cs.length - 1];
                System.arraycopy(cs, 0, out, 0, i);
                System.arraycopy(cs, i + 1, out, i, cs.length - i - 1);
                node.clusters = out;
                changed(c.tokens().length);
                return;
            }
        }
    }

    /** Differing tokens become wildcards, keeping the punctuation and keys they share ({@code [<*>]}, {@code uid=<*>}). */
    private static String[] generalise(String[] template, String[] tokens) {
        String[] out = template.clone();
        for (int i = 0; i < out.length; i++) {
            if (!out[i].equals(tokens[i]) && !(out[i].indexOf('<') >= 0 && TokenKinds.covers(out[i], tokens[i]))) {
                out[i] = TokenKinds.generaliseToken(out[i], tokens[i]);
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
            if (c.primary != null) {
                continue;
            }
            String[] t = c.tokens();
            int diff = 0;
            boolean ok = true;
            for (int i = 0; i < t.length && ok; i++) {
                if (t[i].equals(tokens[i])) {
                    continue;
                }
                diff++;
                ok = (t[i].equals(WILD) || tokens[i].equals(WILD)
                        || (!TokenKinds.isConstantWord(t[i]) && !TokenKinds.isConstantWord(tokens[i])))
                        && diff <= Math.max(1, allowed);
            }
            if (ok && diff < bestDiff) {
                best = c;
                bestDiff = diff;
            }
        }
        return best;
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
        c.leaf = node;
        node.clusters = grown;
        changed(tokens.length);
    }

    private static boolean hasDigitOrWildcard(String token) {
        return token.contains(WILD) || MaskingRules.hasDigit(token, 0, token.length());
    }

    /** The default cap on templates. */
    public static final int DEFAULT_MAX_TEMPLATES = 20_000;

    /** Configures a {@link Drain}: {@code Drain.builder().depth(4).similarity(0.5).maxChildren(100).build()}. */
    public static final class Builder {
        private int depth = 4;
        private double similarity = 0.5;
        private int maxChildren = 100;
        private boolean merge = false;
        private boolean keepWords = true;
        private int variableSiblings = 4;
        private boolean joinRuns = true;
        private boolean keepStored;
        private int maxTemplates = DEFAULT_MAX_TEMPLATES;
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

        /**
         * Whether a run of adjacent tokens that are each wholly a variable is one variable (default true): lists of
         * node names, call stacks and dates of any length give one template, and the run is one parameter.
         */
        /**
         * Never evicts the templates the store holds when the miner is built: detection keeps every template a model
         * has keys for, and the cap then bounds only the templates met since.
         */
        public Builder keepStored(boolean keep) {
            this.keepStored = keep;
            return this;
        }

        public Builder joinRuns(boolean joinRuns) {
            this.joinRuns = joinRuns;
            return this;
        }

        /**
         * The most templates kept (default {@value #DEFAULT_MAX_TEMPLATES}; 0: no cap). When a new template would
         * exceed it, the least recently used one is evicted ({@link Drain#evicted()} counts them), so memory stays
         * bounded on logs whose templates never stop growing. Evicted ids are never given again.
         */
        public Builder maxTemplates(int maxTemplates) {
            if (maxTemplates < 0) {
                throw new AnomalogException("Drain maxTemplates must be 0 (no cap) or more, got " + maxTemplates);
            }
            this.maxTemplates = maxTemplates;
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
