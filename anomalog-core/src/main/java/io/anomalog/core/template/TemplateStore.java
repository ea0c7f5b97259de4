package io.anomalog.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalog.core.io.AtomicFiles;
import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The persistent set of templates and their ids (the log keys). Ids are never reused or renumbered: a later run
 * that loads the store keeps every old id, new templates get ids after the highest one, and each time a template
 * is generalised (a token became {@code <*>}) the change is recorded. Saved as versioned JSON, atomically.
 * Thread-safe.
 *
 * <pre>{@code
 * TemplateStore store = TemplateStore.loadOrEmpty(path);
 * Drain drain = Drain.builder().store(store).build();
 * ... drain.add(record) ...
 * store.save(path);
 * }</pre>
 */
public final class TemplateStore {

    /** Version of the JSON layout written by {@link #save}. */
    public static final int FORMAT_VERSION = 1;

    /** One template: its id, current text and how many lines it has matched so far. */
    public static final class Entry {
        private final int id;
        private volatile String text;
        private final LongAdder occurrences = new LongAdder();
        /**
         * Templates merged into this one. Their counters are summed rather than copied: a parser thread that
         * matched the old template just before the merge still counts on it, and a copy would lose that line.
         */
        private final List<Entry> merged = new CopyOnWriteArrayList<>();

        Entry(int id, String text, long occurrences) {
            this.id = id;
            this.text = text;
            this.occurrences.add(occurrences);
        }

        public int id() {
            return id;
        }

        public String text() {
            return text;
        }

        public long occurrences() {
            long n = occurrences.sum();
            for (Entry m : merged) {
                n += m.occurrences();
            }
            return n;
        }

        void count() {
            occurrences.increment();
        }
    }

    /** A recorded generalisation: template {@code id} changed from {@code from} to {@code to}. */
    public record Generalisation(int id, String from, String to) {
    }

    private final Map<Integer, Entry> entries = new LinkedHashMap<>();
    private final List<Generalisation> generalisations = new ArrayList<>();
    private final Map<Integer, Integer> aliases = new LinkedHashMap<>();
    private final java.util.Set<Integer> dead = new java.util.HashSet<>();
    private long evicted;
    private int nextId = 1;
    private Map<String, String> settings = Map.of();

    public TemplateStore() {
    }

    /** Creates a template with the next id. */
    public synchronized Entry create(String text) {
        Entry e = new Entry(nextId++, text, 0);
        entries.put(e.id, e);
        return e;
    }

    /** Changes the text of a template and records the generalisation. */
    public synchronized void generalise(Entry entry, String newText) {
        String old = entry.text;
        if (!old.equals(newText)) {
            entry.text = newText;
            generalisations.add(new Generalisation(entry.id, old, newText));
        }
    }

    /**
     * Records that template {@code from} was merged into {@code into}: {@code from} keeps its id as an alias (a
     * later run maps it to {@code into}) and is no longer a template of its own.
     */
    public synchronized void alias(Entry from, Entry into) {
        entries.remove(from.id);
        into.merged.add(from);
        aliases.put(from.id, into.id);
        generalisations.add(new Generalisation(from.id, from.text, "merged into " + into.id));
    }

    /**
     * Forgets an evicted template and the ids merged into it, with their recorded generalisations; its id is never
     * given again, since the next id only grows.
     */
    public synchronized void evict(Entry entry, java.util.Collection<Integer> aliasIds) {
        entries.remove(entry.id);
        for (int id : aliasIds) {
            aliases.remove(id);
        }
        evicted++;
        dead.add(entry.id);
        dead.addAll(aliasIds);
        // drop the history of evicted ids now and then, so a log that never stops making templates does not
        // grow the record without bound
        if (dead.size() >= 1024) {
            generalisations.removeIf(g -> dead.contains(g.id()));
            dead.clear();
        }
    }

    /** Templates evicted from this store over its life (kept when saved). */
    public synchronized long evicted() {
        return evicted;
    }

    /** Ids merged into other templates: old id to the id that now stands for it. */
    public synchronized Map<Integer, Integer> aliases() {
        return Map.copyOf(aliases);
    }

    /** The id that stands for {@code id} now (itself unless it was merged). */
    public synchronized int resolve(int id) {
        Integer to = aliases.get(id);
        while (to != null && !entries.containsKey(id)) {
            id = to;
            to = aliases.get(id);
        }
        return id;
    }

    public synchronized Optional<Entry> get(int id) {
        return Optional.ofNullable(entries.get(id));
    }

    /** The templates in id order (a snapshot). */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public synchronized List<Generalisation> generalisations() {
        return List.copyOf(generalisations);
    }

    public synchronized int size() {
        return entries.size();
    }

    /** The id the next new template will get. */
    public synchronized int nextId() {
        return nextId;
    }

    /** Miner settings saved with the store (depth, similarity ...), so a later run can check them. */
    public synchronized Map<String, String> settings() {
        return settings;
    }

    public synchronized void settings(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    /**
     * SHA-256 over the ids and texts (in id order): equal hashes mean the same log keys. Model manifests store
     * it as {@code templateStoreHash} so a model is not run against different keys unnoticed.
     */
    public synchronized String hash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Entry e : entries.values()) {
                md.update((e.id + "\t" + e.text + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the store atomically (temporary file, fsync, rename). */
    public void save(Path file) throws IOException {
        ObjectNode root;
        synchronized (this) {
            root = Json.MAPPER.createObjectNode();
            root.put("formatVersion", FORMAT_VERSION);
            root.put("kind", "anomalog-template-store");
            root.put("nextId", nextId);
            root.put("evicted", evicted);
            root.put("hash", hash());
            ObjectNode s = root.putObject("settings");
            settings.forEach(s::put);
            ArrayNode ts = root.putArray("templates");
            for (Entry e : entries.values()) {
                ts.addObject().put("id", e.id).put("template", e.text).put("occurrences", e.occurrences());
            }
            ObjectNode as = root.putObject("aliases");
            aliases.forEach((k, v) -> as.put(Integer.toString(k), v));
            ArrayNode gs = root.putArray("generalisations");
            for (Generalisation g : generalisations) {
                gs.addObject().put("id", g.id).put("from", g.from).put("to", g.to);
            }
        }
        AtomicFiles.writeJson(file, root);
    }

    /** Loads a store, or returns an empty one when the file does not exist. */
    public static TemplateStore loadOrEmpty(Path file) {
        return Files.exists(file) ? load(file) : new TemplateStore();
    }

    /**
     * Loads a store written by {@link #save}.
     *
     * @throws AnomalogException when the file is missing, corrupt, or written by a newer format version
     */
    public static TemplateStore load(Path file) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new AnomalogException("template store " + file + " does not exist");
        } catch (IOException e) {
            throw new AnomalogException("template store " + file + " is corrupt (not valid JSON): "
                    + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject() || !root.path("formatVersion").isInt()) {
            throw new AnomalogException("template store " + file + " is corrupt: no formatVersion");
        }
        int version = root.get("formatVersion").asInt();
        if (version > FORMAT_VERSION) {
            throw new AnomalogException("template store " + file + " has format version " + version
                    + ", newer than this anomalog understands (" + FORMAT_VERSION + "); upgrade anomalog");
        }
        if (version < 1) {
            throw new AnomalogException("template store " + file + " has invalid format version " + version);
        }
        TemplateStore store = new TemplateStore();
        JsonNode ts = root.path("templates");
        if (!ts.isArray()) {
            throw new AnomalogException("template store " + file + " is corrupt: no templates array");
        }
        int maxId = 0;
        for (JsonNode t : ts) {
            if (!t.path("id").canConvertToInt() || !t.path("id").isIntegralNumber() || !t.path("template").isTextual()) {
                throw new AnomalogException("template store " + file + " is corrupt: bad template entry " + t);
            }
            int id = t.get("id").asInt();
            if (id < 1 || store.entries.containsKey(id)) {
                throw new AnomalogException("template store " + file + " is corrupt: invalid or repeated id " + id);
            }
            store.entries.put(id, new Entry(id, t.get("template").asText(), t.path("occurrences").asLong(0)));
            maxId = Math.max(maxId, id);
        }
        store.nextId = Math.max(maxId + 1, root.path("nextId").asInt(1));
        store.evicted = root.path("evicted").asLong(0);
        for (JsonNode g : root.path("generalisations")) {
            store.generalisations.add(new Generalisation(g.path("id").asInt(), g.path("from").asText(),
                    g.path("to").asText()));
        }
        root.path("aliases").fields().forEachRemaining(f -> {
            try {
                store.aliases.put(Integer.parseInt(f.getKey()), f.getValue().asInt());
            } catch (NumberFormatException e) {
                throw new AnomalogException("template store " + file + " is corrupt: bad alias " + f.getKey());
            }
        });
        Map<String, String> settings = new LinkedHashMap<>();
        root.path("settings").fields().forEachRemaining(f -> settings.put(f.getKey(), f.getValue().asText()));
        store.settings = Map.copyOf(settings);
        String savedHash = root.path("hash").asText(null);
        if (savedHash != null && !savedHash.equals(store.hash())) {
            throw new AnomalogException("template store " + file + " is corrupt: its content does not match its hash"
                    + " (edited by hand?)");
        }
        return store;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
