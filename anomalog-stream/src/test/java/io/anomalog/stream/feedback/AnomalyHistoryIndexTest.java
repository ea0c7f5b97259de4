package io.anomalog.stream.feedback;

import io.anomalog.stream.topology.AnomalyRecord;
import io.anomalog.stream.topology.SessionState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The history's index against a plain scan of the same records: a random history (hosts, one without a host,
 * detection times out of arrival order, missing and unreadable ones, anomalies added twice, verdicts before their
 * anomaly and second verdicts) is queried as it grows with random filters and pages, and each answer must be the
 * scan's.
 */
class AnomalyHistoryIndexTest {

    private static final Instant BASE = Instant.parse("2026-03-01T10:00:00Z");
    private static final String[] HOSTS = {"h1", "h2", "h3", "node-4", null};
    private static final String[] VERDICTS = {null, "any", "none", "false-positive", "confirmed"};

    /** What the console did before the index: every question answered by a scan of the records in arrival order. */
    private static final class Scan {
        final Map<String, AnomalyRecord> byId = new LinkedHashMap<>();
        final Map<String, FeedbackVerdict> verdicts = new HashMap<>();

        void add(AnomalyRecord a) {
            byId.putIfAbsent(a.id(), a);
        }

        void add(FeedbackRecord f) {
            verdicts.putIfAbsent(f.anomalyId(), f.verdict());
        }

        List<AnomalyRecord> newestFirst() {
            List<AnomalyRecord> l = new ArrayList<>(byId.values());
            java.util.Collections.reverse(l);
            return l;
        }

        List<String> matching(AnomalyHistory.Query q) {
            List<String> out = new ArrayList<>();
            for (AnomalyRecord a : newestFirst()) {
                if (q.host() != null && !q.host().equals(a.host())) {
                    continue;
                }
                if (q.from() != null || q.to() != null) {
                    Instant t = time(a);
                    if (t == null || (q.from() != null && t.isBefore(q.from())) || (q.to() != null && !t.isBefore(q.to()))) {
                        continue;
                    }
                }
                FeedbackVerdict v = verdicts.get(a.id());
                if (q.verdict() != null && !q.verdict().equals("any")
                        && !(q.verdict().equals("none") ? v == null : v != null && v.text().equals(q.verdict()))) {
                    continue;
                }
                out.add(a.id() + "/" + v);
            }
            return out;
        }

        Map<String, long[]> perMinute(Instant start, int minutes) {
            Map<String, long[]> out = new TreeMap<>();
            Instant end = start.plusSeconds(60L * minutes);
            for (AnomalyRecord a : newestFirst()) {
                Instant t = time(a);
                if (t == null || t.isBefore(start) || !t.isBefore(end) || a.host() == null) {
                    continue;
                }
                int i = (int) java.time.temporal.ChronoUnit.MINUTES.between(start, t);
                out.computeIfAbsent(a.host(), h -> new long[minutes])[i]++;
            }
            return out;
        }

        Map<String, Long> countByHost() {
            Map<String, Long> out = new TreeMap<>();
            byId.values().stream().filter(a -> a.host() != null).forEach(a -> out.merge(a.host(), 1L, Long::sum));
            return out;
        }

        static Instant time(AnomalyRecord a) {
            try {
                return a.detectedAt() == null ? null : Instant.parse(a.detectedAt());
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    private static AnomalyRecord anomaly(Random r, int n, String host) {
        var line = new SessionState.Line(1, "line " + n, "081109 203518", "logs." + host, 0, n, -1);
        String id = AnomalyRecord.idOf(String.valueOf(host), "blk_" + n, line);
        // times mostly follow arrival, but hosts' clocks and partitions let some come early or late
        long ms = n * 1500L + (r.nextInt(10) == 0 ? r.nextInt(600_000) - 300_000 : r.nextInt(20_000));
        Instant t = BASE.plusMillis(ms).plusNanos(r.nextInt(3) == 0 ? r.nextInt(1_000_000) : 0);
        int odd = r.nextInt(40);
        String detected = odd == 0 ? null : odd == 1 ? "yesterday" : t.toString();
        return new AnomalyRecord(id, host, "blk_" + n, new int[]{1}, List.of(line), 1.0, "unexpected", null, null,
                "deeplog", "v1", "gap", "081109 203518", detected, detected, detected);
    }

    private static FeedbackRecord verdict(String id, FeedbackVerdict v) {
        return new FeedbackRecord(FeedbackRecord.FORMAT_VERSION, id, "h1", "s", v, null, "test",
                BASE.toString(), "v1", "deeplog", new int[0], List.of(), null);
    }

    @Test
    void everyFilterPageRateAndCountIsWhatAScanOfTheHistoryGives() {
        for (long seed = 1; seed <= 4; seed++) {
            Random r = new Random(seed);
            AnomalyHistory history = new AnomalyHistory();
            Scan scan = new Scan();
            List<AnomalyRecord> added = new ArrayList<>();
            List<String> earlyVerdicts = new ArrayList<>(); // verdicts given on anomalies that come later
            int queries = 0;
            for (int n = 0; n < 2500; n++) {
                String host = HOSTS[r.nextInt(HOSTS.length)];
                AnomalyRecord a = anomaly(r, n, host);
                if (r.nextInt(30) == 0 && !added.isEmpty()) {
                    AnomalyRecord again = added.get(r.nextInt(added.size()));
                    // the same anomaly read again (after a restart), with another time: the first is kept
                    a = new AnomalyRecord(again.id(), again.host(), again.sessionId(), again.keys(), again.lines(), 2.0,
                            "again", null, null, "deeplog", "v2", "gap", again.firstLineTime(), BASE.toString(),
                            BASE.toString(), BASE.toString());
                }
                if (r.nextInt(50) == 0) {
                    FeedbackRecord f = verdict(a.id(), FeedbackVerdict.values()[r.nextInt(2)]);
                    history.add(f);
                    scan.add(f);
                    earlyVerdicts.add(a.id());
                }
                history.add(a);
                scan.add(a);
                added.add(a);
                if (r.nextInt(4) == 0) {
                    AnomalyRecord judged = added.get(r.nextInt(added.size()));
                    FeedbackRecord f = verdict(judged.id(), FeedbackVerdict.values()[r.nextInt(2)]);
                    history.add(f); // a second verdict on the same anomaly does not count
                    scan.add(f);
                }
                if (n % 50 == 49) {
                    for (int k = 0; k < 20; k++, queries++) {
                        check(r, history, scan, added);
                    }
                }
            }
            assertEquals(scan.countByHost(), history.countByHost(), "seed " + seed);
            assertEquals(scan.byId.size(), history.size(), "seed " + seed);
            List<String> all = scan.newestFirst().stream().map(AnomalyRecord::id).toList();
            int from = r.nextInt(all.size());
            List<String> since = history.since(from).stream().map(e -> e.anomaly().id()).toList();
            List<String> fresh = new ArrayList<>(all.subList(0, all.size() - from));
            java.util.Collections.reverse(fresh);
            assertEquals(fresh, since, "seed " + seed);
            assertEquals(1000, queries);
            org.junit.jupiter.api.Assertions.assertTrue(earlyVerdicts.size() > 10, "verdicts before their anomaly were tried");
        }
    }

    private static void check(Random r, AnomalyHistory history, Scan scan, List<AnomalyRecord> added) {
        String host = r.nextInt(6) == 0 ? "unknown-host" : HOSTS[r.nextInt(HOSTS.length)];
        Instant from = null;
        Instant to = null;
        if (r.nextBoolean()) {
            // at times exactly a record's time, so the window's ends are checked as inclusive and exclusive
            AnomalyRecord at = added.get(r.nextInt(added.size()));
            Instant t = Scan.time(at);
            from = t != null && r.nextBoolean() ? t : BASE.plusMillis(r.nextInt(4_000_000) - 300_000);
        }
        if (r.nextBoolean()) {
            to = (from != null ? from : BASE).plusMillis(r.nextInt(2_000_000));
        }
        AnomalyHistory.Query q = new AnomalyHistory.Query(host, from, to, VERDICTS[r.nextInt(VERDICTS.length)]);
        List<String> expected = scan.matching(q);
        int offset = r.nextInt(4) == 0 ? 0 : r.nextInt(expected.size() + 5);
        int limit = 1 + r.nextInt(60);
        AnomalyHistory.Page page = history.page(q, offset, limit);
        String what = q + " offset " + offset + " limit " + limit;
        assertEquals(expected.size(), page.total(), what);
        List<String> want = expected.subList(Math.min(offset, expected.size()), Math.min(expected.size(), offset + limit));
        assertEquals(want, page.items().stream().map(e -> e.anomaly().id() + "/" + e.verdict()).toList(), what);

        Instant start = BASE.plusSeconds(60L * (r.nextInt(80) - 10));
        int minutes = 1 + r.nextInt(90);
        Map<String, long[]> want2 = scan.perMinute(start, minutes);
        Map<String, long[]> got = history.perMinute(start, minutes);
        assertEquals(want2.keySet(), got.keySet(), "hosts with anomalies from " + start + " for " + minutes + " min");
        want2.forEach((h, counts) -> assertArrayEquals(counts, got.get(h), h + " from " + start));
    }

    @Test
    void theCountsTreeFindsEveryOneAfterItGrowsAndChanges() {
        Random r = new Random(7);
        AnomalyHistory.Counts c = new AnomalyHistory.Counts();
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int v = r.nextInt(3) == 0 ? 1 : 0;
            c.append(v);
            values.add(v);
            if (r.nextInt(5) == 0) {
                int p = r.nextInt(values.size());
                int nv = 1 - values.get(p);
                c.add(p, nv - values.get(p));
                values.set(p, nv);
            }
        }
        List<Integer> ones = new ArrayList<>();
        int sum = 0;
        for (int i = 0; i < values.size(); i++) {
            assertEquals(sum, c.sum(i));
            if (values.get(i) == 1) {
                ones.add(i);
            }
            sum += values.get(i);
        }
        for (int k = 0; k < ones.size(); k++) {
            assertEquals(ones.get(k), c.find(k), "the " + k + "-th one");
        }
    }
}
