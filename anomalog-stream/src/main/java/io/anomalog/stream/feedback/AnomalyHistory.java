package io.anomalog.stream.feedback;

import io.anomalog.stream.topology.AnomalyRecord;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * The anomalies seen so far and the verdicts given on them, by anomaly id: what {@code anomalog feedback} checks a
 * verdict against and what the console lists. Filled from the {@code anomalies} and {@code anomalog.feedback} topics
 * ({@link HistoryReader}); safe for one writer and many readers.
 *
 * <p>The console asks the same questions of it several times a second while the reader adds records, so the answers
 * are kept as they arrive rather than found by a scan: each record's detection time is parsed once; the records are
 * listed in arrival order, as a whole and per host, with per list the running maximum of the detection times (a
 * query from a time on skips the older part of the list) and per list and verdict a Fenwick tree of counts (a
 * total, or the k-th match of a page, in logarithmic time); per host the anomalies of each minute are counted.
 * Readers share a read lock and writers hold the write lock for one record's updates, so neither waits long.
 */
public final class AnomalyHistory {

    /** An anomaly and the verdict given on it, or null. */
    public record Entry(AnomalyRecord anomaly, FeedbackVerdict verdict) {
    }

    /** One page of a query, newest first, and how many anomalies match in all. */
    public record Page(int total, List<Entry> items) {
    }

    /**
     * What to list; a null field does not filter.
     *
     * @param host    the anomaly's host
     * @param from    detected at or after
     * @param to      detected before
     * @param verdict {@code false-positive}, {@code confirmed}, {@code none} (no verdict yet) or {@code any}
     */
    public record Query(String host, Instant from, Instant to, String verdict) {
    }

    /** Verdict codes of the index: none yet, then {@link FeedbackVerdict}'s ordinal plus one. */
    private static final int VERDICTS = FeedbackVerdict.values().length + 1;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Integer> seqById = new HashMap<>();
    private final Map<String, FeedbackRecord> feedback = new LinkedHashMap<>();
    /** Feedback that arrived before its anomaly (topics are read side by side); matched when the anomaly comes. */
    private final List<FeedbackRecord> orphans = new ArrayList<>();
    /** By arrival (the sequence number): the record, its detection time (null when absent or unreadable), verdict. */
    private AnomalyRecord[] records = new AnomalyRecord[256];
    private Instant[] detected = new Instant[256];
    private byte[] verdictOf = new byte[256];
    /** The record's position in its host's list, -1 without a host. */
    private int[] posInHost = new int[256];
    private int size;
    private final Slice all = new Slice(true);
    private final Map<String, Slice> hosts = new HashMap<>();

    /** Adds an anomaly; one already known by its id (judged again after a restart) is kept as first seen. */
    public void add(AnomalyRecord a) {
        if (a == null || a.id() == null) {
            return;
        }
        Instant t = parse(a.detectedAt()); // parsed outside the lock: the readers wait for nothing but the index
        lock.writeLock().lock();
        try {
            if (seqById.containsKey(a.id())) {
                return;
            }
            int seq = size;
            if (seq == records.length) {
                int cap = seq * 2;
                records = Arrays.copyOf(records, cap);
                detected = Arrays.copyOf(detected, cap);
                verdictOf = Arrays.copyOf(verdictOf, cap);
                posInHost = Arrays.copyOf(posInHost, cap);
            }
            FeedbackRecord f = feedback.get(a.id());
            int v = code(f == null ? null : f.verdict());
            records[seq] = a;
            detected[seq] = t;
            verdictOf[seq] = (byte) v;
            seqById.put(a.id(), seq);
            all.append(seq, t, v);
            if (a.host() != null) {
                Slice h = hosts.computeIfAbsent(a.host(), k -> new Slice(false));
                posInHost[seq] = h.size;
                h.append(seq, t, v);
                if (t != null) {
                    h.perMinute.merge(Math.floorDiv(t.getEpochSecond(), 60), 1L, Long::sum);
                }
            } else {
                posInHost[seq] = -1;
            }
            size = seq + 1;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Adds a verdict; only the first verdict on an anomaly counts, as {@link FeedbackDesk} refuses a second. */
    public void add(FeedbackRecord f) {
        if (f == null || f.anomalyId() == null) {
            return;
        }
        lock.writeLock().lock();
        try {
            if (feedback.putIfAbsent(f.anomalyId(), f) != null) {
                return;
            }
            Integer seq = seqById.get(f.anomalyId());
            if (seq == null) {
                orphans.add(f);
                return;
            }
            int before = verdictOf[seq];
            int v = code(f.verdict());
            verdictOf[seq] = (byte) v;
            all.verdicts[before].add(seq, -1);
            all.verdicts[v].add(seq, 1);
            String host = records[seq].host();
            if (host != null) {
                Slice h = hosts.get(host);
                h.verdicts[before].add(posInHost[seq], -1);
                h.verdicts[v].add(posInHost[seq], 1);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Optional<AnomalyRecord> anomaly(String id) {
        lock.readLock().lock();
        try {
            Integer seq = seqById.get(id);
            return Optional.ofNullable(seq == null ? null : records[seq]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The verdict given on an anomaly, if any. */
    public Optional<FeedbackRecord> feedbackOn(String id) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(feedback.get(id));
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    public int feedbackCount() {
        lock.readLock().lock();
        try {
            return feedback.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The anomalies that match, newest first: a scan of them all, for callers with a filter of their own. */
    public List<AnomalyRecord> list(Predicate<AnomalyRecord> filter) {
        List<AnomalyRecord> out = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (int i = size - 1; i >= 0; i--) {
                if (filter.test(records[i])) {
                    out.add(records[i]);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    /**
     * The anomalies that match a query, newest first, from the {@code offset}-th match on, at most {@code limit}; the
     * same answer as a scan of {@link #list} with that query, found from the index.
     *
     * @throws IllegalArgumentException for a verdict it does not know
     */
    public Page page(Query q, int offset, int limit) {
        int verdict = verdictFilter(q.verdict());
        lock.readLock().lock();
        try {
            Slice s = q.host() == null ? all : hosts.get(q.host());
            if (s == null || s.size == 0) {
                return new Page(0, List.of());
            }
            List<Entry> items = new ArrayList<>(Math.max(0, Math.min(limit, s.size - offset)));
            if (q.from() == null && q.to() == null) {
                // the total is counted already; each item of the page is found directly
                int total = verdict < 0 ? s.size : s.verdicts[verdict].sum(s.size);
                for (int k = offset; k < Math.min(total, offset + limit); k++) {
                    int pos = verdict < 0 ? s.size - 1 - k : s.verdicts[verdict].find(total - 1 - k);
                    items.add(entry(s.seq(pos)));
                }
                return new Page(total, items);
            }
            // a time window: only the part of the list whose running maximum reaches 'from' can hold a match
            int low = q.from() == null ? 0 : s.firstReaching(q.from());
            int total = 0;
            for (int pos = s.size - 1; pos >= low; pos--) {
                int seq = s.seq(pos);
                Instant t = detected[seq];
                if (t == null || (q.from() != null && t.isBefore(q.from())) || (q.to() != null && !t.isBefore(q.to()))
                        || (verdict >= 0 && verdictOf[seq] != verdict)) {
                    continue;
                }
                if (total >= offset && total < offset + limit) {
                    items.add(entry(seq));
                }
                total++;
            }
            return new Page(total, items);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The anomalies that arrived after the first {@code from}, in arrival order (what a page has not seen yet). */
    public List<Entry> since(int from) {
        lock.readLock().lock();
        try {
            List<Entry> out = new ArrayList<>(Math.max(0, size - from));
            for (int i = Math.max(0, from); i < size; i++) {
                out.add(entry(i));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Anomalies per minute per host, detected in the {@code minutes} minutes from {@code start} (a whole minute):
     * the hosts with at least one, each with a count per minute. Read from the counters kept per minute.
     */
    public Map<String, long[]> perMinute(Instant start, int minutes) {
        long first = Math.floorDiv(start.getEpochSecond(), 60);
        Map<String, long[]> out = new TreeMap<>();
        lock.readLock().lock();
        try {
            for (var e : hosts.entrySet()) {
                var window = e.getValue().perMinute.subMap(first, first + minutes);
                if (!window.isEmpty()) {
                    long[] counts = new long[minutes];
                    window.forEach((m, n) -> counts[(int) (m - first)] = n);
                    out.put(e.getKey(), counts);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    /** Anomalies so far per host (those naming one). */
    public Map<String, Long> countByHost() {
        Map<String, Long> out = new TreeMap<>();
        lock.readLock().lock();
        try {
            hosts.forEach((h, s) -> out.put(h, (long) s.size));
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    /** Every verdict, in the order given. */
    public List<FeedbackRecord> feedback() {
        lock.readLock().lock();
        try {
            return List.copyOf(feedback.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Verdicts naming an anomaly this history has not seen (for a reader that says so). */
    public List<FeedbackRecord> orphans() {
        lock.writeLock().lock();
        try {
            orphans.removeIf(f -> seqById.containsKey(f.anomalyId()));
            return List.copyOf(orphans);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private Entry entry(int seq) {
        int v = verdictOf[seq];
        return new Entry(records[seq], v == 0 ? null : FeedbackVerdict.values()[v - 1]);
    }

    private static int code(FeedbackVerdict v) {
        return v == null ? 0 : v.ordinal() + 1;
    }

    /** The code a query's verdict filters on, or -1 for none. */
    private static int verdictFilter(String v) {
        if (v == null || v.equals("any")) {
            return -1;
        }
        if (v.equals("none")) {
            return 0;
        }
        return code(FeedbackVerdict.parse(v));
    }

    private static Instant parse(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A list of records in arrival order (all of them, or one host's) with its indexes. */
    private static final class Slice {
        /** Sequence numbers by position; null for the list of all, where position and sequence number agree. */
        int[] seqs;
        /** The latest detection time among positions 0..i, null while none has one. */
        Instant[] maxUpTo = new Instant[16];
        final Counts[] verdicts = new Counts[VERDICTS];
        /** Anomalies per minute (epoch minute), of one host's list. */
        final TreeMap<Long, Long> perMinute = new TreeMap<>();
        int size;

        Slice(boolean ofAll) {
            seqs = ofAll ? null : new int[16];
            for (int i = 0; i < VERDICTS; i++) {
                verdicts[i] = new Counts();
            }
        }

        void append(int seq, Instant t, int verdict) {
            if (size == maxUpTo.length) {
                maxUpTo = Arrays.copyOf(maxUpTo, size * 2);
                if (seqs != null) {
                    seqs = Arrays.copyOf(seqs, size * 2);
                }
            }
            if (seqs != null) {
                seqs[size] = seq;
            }
            Instant before = size == 0 ? null : maxUpTo[size - 1];
            maxUpTo[size] = t == null ? before : before == null || t.isAfter(before) ? t : before;
            for (int i = 0; i < VERDICTS; i++) {
                verdicts[i].append(i == verdict ? 1 : 0);
            }
            size++;
        }

        int seq(int pos) {
            return seqs == null ? pos : seqs[pos];
        }

        /** The first position whose running maximum is at or after {@code from} (size when none): binary search. */
        int firstReaching(Instant from) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                Instant m = maxUpTo[mid];
                if (m == null || m.isBefore(from)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /**
     * A Fenwick tree of counts by position (each 0 or 1), growing at its end: node i (1-based) holds the sum of
     * positions i - lowbit(i) + 1 .. i, which does not depend on the capacity, so growing only copies the array.
     */
    static final class Counts {
        private int[] tree = new int[17];
        private int size;

        void append(int value) {
            if (size + 1 == tree.length) {
                tree = Arrays.copyOf(tree, tree.length * 2);
            }
            int i = ++size;
            int v = value;
            int low = i - (i & -i);
            for (int j = i - 1; j > low; j -= j & -j) {
                v += tree[j];
            }
            tree[i] = v;
        }

        void add(int pos, int delta) {
            for (int i = pos + 1; i <= size; i += i & -i) {
                tree[i] += delta;
            }
        }

        /** The count over positions 0..n-1. */
        int sum(int n) {
            int s = 0;
            for (int i = n; i > 0; i -= i & -i) {
                s += tree[i];
            }
            return s;
        }

        /** The position (0-based) of the k-th (0-based) one; there must be more than k. */
        int find(int k) {
            // descends to the longest prefix holding at most k ones: the k-th one is the position right after it
            int prefix = 0;
            int rest = k;
            for (int step = Integer.highestOneBit(size); step > 0; step >>= 1) {
                int next = prefix + step;
                if (next <= size && tree[next] <= rest) {
                    prefix = next;
                    rest -= tree[next];
                }
            }
            return prefix;
        }
    }
}
