package io.anomalog.stream.simulate;

import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Simulates the JSON logs of a small distributed shop: a gateway on two hosts in front of an auth, an orders and a
 * payments service, and their database, one host each. Every request the users make is logged by the gateway (its
 * route, status and the time until the answer), by the service that handles it and by the database queries it
 * makes, each entry a JSON object with a timestamp, level, service, host, operation, trace id, user, client
 * address, response time in ms, HTTP status or error code, and a message. Load follows the time of day (quietest
 * at 04:00, busiest at 16:00) and the week (weekends at two thirds); beside the requests there are health checks,
 * garbage-collection pauses, a nightly reconciliation batch on the orders service and ordinary daily deployments,
 * with their usual share of failed logins, declined payments, missing pages and slow queries.
 *
 * <p>Anomalies ({@link AnomalyKind}) are spread over the span, one in each equal slot of time, their kinds in
 * shuffled rounds: a bad deployment (a share of a service's requests fail with an exception until it is rolled
 * back), brute-force logins (one address tries many passwords), a slow dependency (the database or the payment
 * provider answers several times slower), a latency creep (a service grows slower for an hour or two until it is
 * restarted) and a silent service (it hangs; the gateways time out on its requests). Every entry an anomaly wrote or
 * changed carries its id ({@link Sink#entry}), and each anomaly knows the hosts whose logs show it.
 *
 * <p>The same settings and seed give the same entries. Exactly {@code entries} entries are written: the load is
 * scaled so that the span holds about one percent more, and the simulation stops at the last one.
 *
 * <pre>{@code
 * ServicesSimulator.Result r = ServicesSimulator.builder().entries(1_000_000).days(7).seed(42).build().run(sink);
 * }</pre>
 */
public final class ServicesSimulator {

    /** The hosts, in the order of their files. */
    public static final List<String> HOSTS = List.of("gateway-1", "gateway-2", "auth-1", "orders-1", "payments-1",
            "db-1");
    /** The service each host runs. */
    public static String service(String host) {
        int h = HOSTS.indexOf(host);
        if (h < 0) {
            throw new AnomalogException("unknown host '" + host + "'; the simulated hosts are " + HOSTS);
        }
        return SERVICE[h];
    }

    /** A Thursday, so that a week's 70 % training share holds a weekend. */
    public static final Instant DEFAULT_START = Instant.parse("2024-03-07T00:00:00Z");

    private static final int GW1 = 0;
    private static final int GW2 = 1;
    private static final int AUTH = 2;
    private static final int ORDERS = 3;
    private static final int PAYMENTS = 4;
    private static final int DB = 5;
    private static final String[] SERVICE = {"gateway", "gateway", "auth", "orders", "payments", "db"};
    private static final long MINUTE = 60_000;
    private static final int USERS = 20_000;
    /** Gateways give up on an upstream after this long (ms). */
    private static final double UPSTREAM_TIMEOUT = 5_000;
    /** Services give up waiting for the database after this long (ms). */
    private static final double DB_TIMEOUT = 2_000;
    /** Orders gives up on the payments service after this long (ms). */
    private static final double PAYMENTS_TIMEOUT = 3_000;
    /** Above this a query is logged as slow. */
    private static final double SLOW_QUERY = 500;

    /** Receives the entries in time order. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param host       the host that wrote it
         * @param timeMillis its timestamp
         * @param json       the entry, one JSON object without a line break
         * @param anomalyId  the anomaly that wrote or changed it, 0 for none
         * @param kind       its kind, null for none
         */
        void entry(String host, long timeMillis, String json, int anomalyId, AnomalyKind kind) throws IOException;
    }

    /**
     * What a run wrote.
     *
     * @param entries   entries written
     * @param start     the start of the span
     * @param end       just after the last entry
     * @param anomalies what was injected, with the hosts whose logs show it (cut at {@code end})
     * @param perHost   entries written per host, in {@link #HOSTS} order
     */
    public record Result(long entries, Instant start, Instant end, List<ServiceAnomaly> anomalies, long[] perHost) {
    }

    /** Requests the users make, with their share of the load. */
    private enum Route {
        VIEW_ORDER("GET", "/api/orders/{id}", ORDERS, 4.0, 18),
        CATALOG("GET", "/api/catalog", ORDERS, 5.0, 30),
        CREATE_ORDER("POST", "/api/orders", ORDERS, 1.5, 45),
        LOGIN("POST", "/api/login", AUTH, 2.5, 55),
        REFRESH("POST", "/api/token/refresh", AUTH, 3.0, 6),
        PAYMENT_STATUS("GET", "/api/payments/{id}", PAYMENTS, 2.5, 14);

        final String method;
        final String path;
        final int service;
        final double weight;
        /** Median of the service's own work in ms (database time comes on top). */
        final double median;

        Route(String method, String path, int service, double weight, double median) {
            this.method = method;
            this.path = path;
            this.service = service;
            this.weight = weight;
            this.median = median;
        }

        /** Entries one request of this route writes, on average. */
        double entries() {
            return switch (this) {
                case VIEW_ORDER, CATALOG, PAYMENT_STATUS -> 3;
                case CREATE_ORDER -> 5;
                case LOGIN -> 3 * 0.97 + 2 * 0.03;
                case REFRESH -> 2;
            };
        }
    }

    private final long entries;
    private final double days;
    private final Instant start;
    private final long seed;
    private final double anomaliesPerDay;

    private ServicesSimulator(Builder b) {
        this.entries = b.entries;
        this.days = b.days;
        this.start = b.start;
        this.seed = b.seed;
        this.anomaliesPerDay = b.anomaliesPerDay;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The planned end of the span (the last entry falls about one percent before it). */
    public Instant plannedEnd() {
        return start.plusMillis(spanMillis());
    }

    public Instant start() {
        return start;
    }

    private long spanMillis() {
        return Math.round(days * 86_400_000L);
    }

    /** Runs the simulation, handing every entry to the sink in time order. */
    public Result run(Sink sink) throws IOException {
        return new Run(sink).go();
    }

    /** Load relative to the busiest hour of a weekday: the time of day and the day of the week. */
    static double load(long millis) {
        ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC);
        double hour = t.getHour() + t.getMinute() / 60.0;
        double daily = 0.45 + 0.55 * (1 - Math.cos(2 * Math.PI * (hour - 4) / 24)) / 2;
        DayOfWeek d = t.getDayOfWeek();
        return daily * (d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY ? 0.65 : 1.0);
    }

    /** An anomaly while it is planned and running: its parameters and the hosts it touched. */
    private static final class Planned {
        final int id;
        final AnomalyKind kind;
        final int service;        // host index of the faulty service (or of the database)
        final boolean provider;   // latency spike: the payment provider rather than the database
        final long from;
        final long to;
        final double strength;    // failure share, attempts per minute, or slow-down factor
        final String address;     // brute force: the attacking address
        final Set<String> hosts = new LinkedHashSet<>();

        Planned(int id, AnomalyKind kind, int service, boolean provider, long from, long to, double strength,
                String address) {
            this.id = id;
            this.kind = kind;
            this.service = service;
            this.provider = provider;
            this.from = from;
            this.to = to;
            this.strength = strength;
            this.address = address;
        }

        boolean active(long t) {
            return t >= from && t < to;
        }

        /** The creep's slow-down at t: from 1 at its start to its strength at its end. */
        double creep(long t) {
            return 1 + (strength - 1) * (double) (t - from) / (to - from);
        }

        String serviceName() {
            return kind == AnomalyKind.LATENCY_SPIKE && provider ? "provider" : SERVICE[service];
        }

        String detail() {
            return switch (kind) {
                case ERROR_SPIKE -> String.format(java.util.Locale.ROOT, "%.0f%% of %s requests fail after a bad deployment",
                        strength * 100, SERVICE[service]);
                case BRUTE_FORCE -> String.format(java.util.Locale.ROOT, "%.0f failed logins a minute from %s", strength,
                        address);
                case LATENCY_SPIKE -> String.format(java.util.Locale.ROOT, "%s answers %.1f times slower",
                        provider ? "the payment provider" : "the database", strength);
                case LATENCY_CREEP -> String.format(java.util.Locale.ROOT, "%s grows up to %.1f times slower, then restarts",
                        SERVICE[service], strength);
                case SILENCE -> SERVICE[service] + " hangs and writes nothing";
            };
        }
    }

    /** One entry on its way to the sink. */
    private record Line(long t, int host, String json, int anomaly) {
    }

    /** The state of one run. */
    private final class Run {
        final Sink sink;
        final SplittableRandom rnd = new SplittableRandom(seed);
        final double[] userCdf = new double[USERS];
        final List<Planned> anomalies = new ArrayList<>();
        final List<Line> pending = new ArrayList<>();
        /** The anomalies that may act in the minute being simulated (its lines reach into the next). */
        final List<Planned> now = new ArrayList<>();
        final long[] perHost = new long[HOSTS.size()];
        final int[] version = {0, 0, 7, 12, 4, 3};
        final long[] healthPhase = new long[HOSTS.size()];
        final long end;
        final double scale;
        long written;
        long lastTime;
        long nextId = 100_000;
        long cachedMinute = Long.MIN_VALUE;
        String cachedPrefix;
        boolean done;

        Run(Sink sink) {
            this.sink = sink;
            this.end = start.toEpochMilli() + spanMillis();
            double sum = 0;
            for (int i = 0; i < USERS; i++) {
                sum += 1 / Math.pow(i + 1, 0.9);
                userCdf[i] = sum;
            }
            for (int i = 0; i < USERS; i++) {
                userCdf[i] /= sum;
            }
            for (int h = 0; h < healthPhase.length; h++) {
                healthPhase[h] = 3_000 + rnd.nextLong(54_000);
            }
            this.scale = scale();
            plan();
        }

        /** The factor on the routes' rates that makes the span hold about one percent more than the entries asked. */
        private double scale() {
            double perUnit = 0;
            for (Route r : Route.values()) {
                perUnit += r.weight * r.entries();
            }
            double variable = 0;
            double fixed = 0;
            for (long t = start.toEpochMilli(); t < end; t += MINUTE) {
                variable += load(t + MINUTE / 2) * perUnit;
                fixed += HOSTS.size() + 0.4 + (nightly(t) ? 40 : 0);
            }
            double s = (entries * 1.01 - fixed) / variable;
            if (s <= 0 || variable <= 0) {
                throw new AnomalogException(String.format(java.util.Locale.ROOT,
                        "%,d entries are too few for %s days: the health checks and batches alone write about %,.0f; "
                                + "give more entries or fewer days", entries, days, fixed));
            }
            return s;
        }

        /** One anomaly in each equal slot of the span (the first hour left out), kinds in shuffled rounds. */
        private void plan() {
            int count = (int) Math.round(anomaliesPerDay * days);
            if (count == 0) {
                return;
            }
            long first = start.toEpochMilli() + Math.min(3_600_000L, spanMillis() / 10);
            long slot = (end - first) / count;
            List<AnomalyKind> round = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (round.isEmpty()) {
                    round.addAll(Arrays.asList(AnomalyKind.values()));
                    for (int j = round.size() - 1; j > 0; j--) {
                        java.util.Collections.swap(round, j, rnd.nextInt(j + 1));
                    }
                }
                AnomalyKind kind = round.remove(0);
                double minutes = switch (kind) {
                    case ERROR_SPIKE, SILENCE -> 10 + rnd.nextDouble(30);
                    case BRUTE_FORCE -> 5 + rnd.nextDouble(25);
                    case LATENCY_SPIKE -> 10 + rnd.nextDouble(20);
                    case LATENCY_CREEP -> 60 + rnd.nextDouble(60);
                };
                long length = Math.min(Math.round(minutes * MINUTE), slot / 2);
                long from = first + i * slot + Math.round(rnd.nextDouble() * (slot - length));
                int[] services = {AUTH, ORDERS, PAYMENTS};
                int service = services[rnd.nextInt(services.length)];
                boolean provider = false;
                double strength;
                String address = null;
                switch (kind) {
                    case ERROR_SPIKE -> strength = 0.2 + rnd.nextDouble(0.4);
                    case BRUTE_FORCE -> {
                        service = AUTH;
                        strength = 10 + rnd.nextDouble(50);
                        address = "203.0.113." + (1 + rnd.nextInt(254));
                    }
                    case LATENCY_SPIKE -> {
                        provider = rnd.nextBoolean();
                        service = provider ? PAYMENTS : DB;
                        strength = 4 + rnd.nextDouble(6);
                    }
                    case LATENCY_CREEP -> strength = 3 + rnd.nextDouble(2);
                    default -> strength = 0;
                }
                anomalies.add(new Planned(i + 1, kind, service, provider, from, from + length, strength, address));
            }
        }

        Result go() throws IOException {
            long minute = start.toEpochMilli();
            while (!done && minute < end + MINUTE) {
                if (minute < end) {
                    simulateMinute(minute);
                }
                flushBefore(minute);
                minute += MINUTE;
            }
            flushBefore(Long.MAX_VALUE);
            if (written < entries) {
                throw new IllegalStateException("simulated " + written + " of " + entries + " entries");
            }
            long last = lastTime + 1;
            List<ServiceAnomaly> out = new ArrayList<>();
            for (Planned p : anomalies) {
                if (p.from >= last) {
                    continue;
                }
                if (p.kind == AnomalyKind.SILENCE) {
                    p.hosts.add(HOSTS.get(p.service));
                }
                out.add(new ServiceAnomaly(p.id, p.kind, p.serviceName(), Instant.ofEpochMilli(p.from),
                        Instant.ofEpochMilli(Math.min(p.to, last)), p.hosts, p.detail()));
            }
            return new Result(written, start, Instant.ofEpochMilli(last), List.copyOf(out), perHost.clone());
        }

        private void flushBefore(long bound) throws IOException {
            if (done) {
                return;
            }
            pending.sort(Comparator.comparingLong(Line::t));
            int n = 0;
            while (n < pending.size() && pending.get(n).t < bound) {
                Line l = pending.get(n++);
                sink.entry(HOSTS.get(l.host), l.t, l.json, l.anomaly,
                        l.anomaly > 0 ? anomalies.get(l.anomaly - 1).kind : null);
                perHost[l.host]++;
                lastTime = l.t;
                if (l.anomaly > 0) {
                    anomalies.get(l.anomaly - 1).hosts.add(HOSTS.get(l.host));
                }
                if (++written == entries) {
                    done = true;
                    break;
                }
            }
            pending.subList(0, n).clear();
        }

        private boolean nightly(long t) {
            long ofDay = Math.floorMod(t, 86_400_000L);
            return ofDay >= 2 * 3_600_000L && ofDay < 2 * 3_600_000L + 20 * MINUTE;
        }

        private Planned active(AnomalyKind kind, long t) {
            for (Planned p : now) {
                if (p.kind == kind && p.active(t)) {
                    return p;
                }
            }
            return null;
        }

        private boolean silent(int host, long t) {
            Planned p = active(AnomalyKind.SILENCE, t);
            return p != null && p.service == host;
        }

        private void simulateMinute(long minute) {
            now.clear();
            for (Planned p : anomalies) {
                if (p.from < minute + 2 * MINUTE && p.to > minute) {
                    now.add(p);
                }
            }
            double load = load(minute + MINUTE / 2);
            for (Route r : Route.values()) {
                int n = poisson(r.weight * scale * load);
                for (int i = 0; i < n; i++) {
                    request(r, minute + rnd.nextLong(MINUTE), pickUser(), null);
                }
            }
            Planned attack = active(AnomalyKind.BRUTE_FORCE, minute + MINUTE / 2);
            if (attack != null) {
                int n = poisson(attack.strength);
                for (int i = 0; i < n; i++) {
                    long t = minute + rnd.nextLong(MINUTE);
                    if (attack.active(t)) {
                        request(Route.LOGIN, t, -1 - rnd.nextInt(USERS), attack);
                    }
                }
            }
            for (int h = 0; h < HOSTS.size(); h++) {
                long t = minute + healthPhase[h];
                if (!silent(h, t)) {
                    add(t, h, "INFO", "health", null, null, null, Double.NaN, 0, null,
                            "health check ok: " + (1 + rnd.nextInt(40)) + " requests in flight, heap "
                                    + (30 + rnd.nextInt(40)) + "%", 0);
                }
            }
            for (int h : new int[]{AUTH, ORDERS, PAYMENTS}) {
                Planned creep = active(AnomalyKind.LATENCY_CREEP, minute);
                double rate = 0.1 * (creep != null && creep.service == h ? creep.creep(minute) * creep.creep(minute) : 1);
                int n = poisson(rate);
                for (int i = 0; i < n; i++) {
                    long t = minute + rnd.nextLong(MINUTE);
                    if (!silent(h, t)) {
                        boolean full = creep != null && creep.service == h && rnd.nextDouble() < 0.5;
                        add(t, h, "WARN", "gc", null, null, null, Double.NaN, 0, null, "gc pause "
                                + (full ? 200 + rnd.nextInt(800) : 20 + rnd.nextInt(80)) + " ms ("
                                + (full ? "full" : "young") + ")", full ? creep.id : 0);
                    }
                }
            }
            if (nightly(minute)) {
                for (int i = 0; i < 20; i++) {
                    long t = minute + rnd.nextLong(MINUTE);
                    if (!silent(ORDERS, t)) {
                        double db = query(t);
                        add(t, DB, "INFO", "UPDATE orders", null, null, null, db, 0, null,
                                "UPDATE orders took " + ms(db) + " ms, " + (20 + rnd.nextInt(200)) + " rows", 0);
                        add(t + (long) db + 1, ORDERS, "INFO", "reconcile", null, null, null, db + 5, 0, null,
                                "reconciliation batch " + (nextId++) + ": " + (20 + rnd.nextInt(200))
                                        + " orders settled", 0);
                    }
                }
            }
            deployments(minute);
        }

        /** An ordinary deployment of each service once a weekday, and the bad ones and restarts anomalies make. */
        private void deployments(long minute) {
            for (Planned p : now) {
                if (p.kind == AnomalyKind.ERROR_SPIKE && p.from >= minute && p.from < minute + MINUTE) {
                    deploy(p.from, p.service, "deploying", p.id);
                }
                if (p.kind == AnomalyKind.ERROR_SPIKE && p.to >= minute && p.to < minute + MINUTE) {
                    add(p.to, p.service, "WARN", "deploy", null, null, null, Double.NaN, 0, null, "rolling back "
                            + SERVICE[p.service] + " to version 2." + (version[p.service] - 1) + ".0", p.id);
                }
                if (p.kind == AnomalyKind.LATENCY_CREEP && p.to >= minute && p.to < minute + MINUTE) {
                    add(p.to, p.service, "WARN", "restart", null, null, null, Double.NaN, 0, null, "restarting "
                            + SERVICE[p.service] + ": heap usage " + (95 + rnd.nextInt(5)) + "%", p.id);
                    add(p.to + 20_000, p.service, "INFO", "restart", null, null, null, Double.NaN, 0, null,
                            SERVICE[p.service] + " version 2." + version[p.service] + ".0 started", p.id);
                }
            }
            ZonedDateTime t = Instant.ofEpochMilli(minute).atZone(ZoneOffset.UTC);
            DayOfWeek d = t.getDayOfWeek();
            if (d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY) {
                return;
            }
            long day = Math.floorDiv(minute, 86_400_000L);
            for (int h : new int[]{AUTH, ORDERS, PAYMENTS}) {
                // a time of day fixed by the day and service, so that it costs no draws from the run's sequence
                long at = day * 86_400_000L + 10 * 3_600_000L
                        + Math.floorMod((day * 31 + h) * 2_654_435_761L, 6 * 60) * MINUTE;
                if (at >= minute && at < minute + MINUTE && !silent(h, minute)) {
                    deploy(minute + rnd.nextLong(MINUTE / 2), h, "deploying", 0);
                }
            }
        }

        private void deploy(long t, int h, String what, int anomaly) {
            version[h]++;
            String v = "2." + version[h] + ".0";
            add(t, h, "INFO", "deploy", null, null, null, Double.NaN, 0, null, what + " " + SERVICE[h] + " version " + v,
                    anomaly);
            add(t + 25_000 + rnd.nextLong(20_000), h, "INFO", "deploy", null, null, null, Double.NaN, 0, null,
                    "deployment of " + SERVICE[h] + " version " + v + " finished", anomaly);
        }

        private int pickUser() {
            int i = Arrays.binarySearch(userCdf, rnd.nextDouble());
            return i >= 0 ? i : Math.min(USERS - 1, -i - 1);
        }

        private String userName(int u) {
            if (u < 0) {
                // an attacker tries the names people use and ones from leaked lists
                String[] common = {"admin", "root", "test", "support", "info", "sales"};
                int i = -1 - u;
                return i % 3 == 0 ? common[i % common.length] : String.format("user-%05d", i);
            }
            return String.format("user-%05d", u);
        }

        private String address(int u) {
            int h = (int) ((u * 0x9E3779B1L) >>> 8);
            return "10." + ((h >>> 16) & 255) + "." + ((h >>> 8) & 255) + "." + (1 + (h & 255) % 254);
        }

        private double lognormal(double median, double sigma) {
            return median * Math.exp(sigma * rnd.nextGaussian());
        }

        /** A database query's time, slowed when the database is. */
        private double query(long t) {
            double q = lognormal(3, 0.5);
            if (rnd.nextDouble() < 0.005) {
                q *= 60 + rnd.nextDouble(140);
            }
            Planned slow = active(AnomalyKind.LATENCY_SPIKE, t);
            if (slow != null && !slow.provider) {
                q *= slow.strength;
            }
            return Math.min(q, 30_000);
        }

        /** One request: the database queries, the service's entry and the gateway's, with every anomaly acting. */
        private void request(Route r, long t, int user, Planned attack) {
            int gw = rnd.nextBoolean() ? GW1 : GW2;
            String trace = Long.toHexString(rnd.nextLong() | Long.MIN_VALUE);
            String name = userName(user);
            String ip = attack != null ? attack.address : address(user);
            String op = r.method + " " + r.path;
            String path = r.path.replace("{id}", String.valueOf(nextId++));
            int svc = r.service;
            int anomaly = attack != null ? attack.id : 0;
            Planned silence = active(AnomalyKind.SILENCE, t);
            if (silence != null && silence.service == svc) {
                double lat = UPSTREAM_TIMEOUT + lognormal(2, 0.3);
                add(t + (long) lat, gw, "WARN", op, trace, name, ip, lat, 504, "UPSTREAM_TIMEOUT",
                        r.method + " " + path + " 504 " + ms(lat) + " ms upstream=" + SERVICE[svc], silence.id);
                return;
            }
            double own = lognormal(r.median, 0.45);
            Planned creep = active(AnomalyKind.LATENCY_CREEP, t);
            if (creep != null && creep.service == svc) {
                own *= creep.creep(t);
                anomaly = creep.id;
            }
            Planned slow = active(AnomalyKind.LATENCY_SPIKE, t);
            double db = 0;          // time spent on database queries
            double downstream = 0;  // time spent waiting for the payments service
            int status;
            String level = "INFO";
            String error = null;
            String message;
            String id = path.substring(path.lastIndexOf('/') + 1);
            switch (r) {
                case VIEW_ORDER -> {
                    db = dbLine(t, "SELECT orders", 1, trace);
                    boolean found = rnd.nextDouble() >= 0.02;
                    status = found ? 200 : 404;
                    message = "order " + id + (found ? " fetched" : " not found");
                }
                case CATALOG -> {
                    db = dbLine(t, "SELECT products", 10 + rnd.nextInt(40), trace);
                    status = 200;
                    message = "catalog page " + (1 + rnd.nextInt(20)) + " served";
                }
                case CREATE_ORDER -> {
                    long order = nextId++;
                    db = dbLine(t, "INSERT orders", 1, trace);
                    boolean declined = false;
                    if (silence != null && silence.service == PAYMENTS) {
                        downstream = PAYMENTS_TIMEOUT;
                        anomaly = anomaly != 0 ? anomaly : silence.id;
                    } else {
                        downstream = payment(t + (long) db, order, trace, name, ip, slow);
                        declined = downstream < 0;
                        downstream = Math.abs(downstream);
                        if (slow != null && slow.provider) {
                            anomaly = anomaly != 0 ? anomaly : slow.id;
                        }
                    }
                    status = declined ? 402 : 201;
                    level = declined ? "WARN" : "INFO";
                    message = declined ? "order " + order + " rejected: payment declined"
                            : "order " + order + " created for " + name;
                }
                case LOGIN -> {
                    boolean failed = attack != null || rnd.nextDouble() < 0.03;
                    if (!failed) {
                        db = dbLine(t, "UPDATE users", 1, trace);
                    }
                    status = failed ? 401 : 200;
                    level = failed ? "WARN" : "INFO";
                    error = failed ? "INVALID_PASSWORD" : null;
                    message = failed ? "login failed for " + name + " from " + ip + ": invalid password"
                            : "user " + name + " logged in from " + ip;
                }
                case REFRESH -> {
                    boolean expired = rnd.nextDouble() < 0.01;
                    status = expired ? 401 : 200;
                    level = expired ? "WARN" : "INFO";
                    error = expired ? "TOKEN_EXPIRED" : null;
                    message = expired ? "token refresh rejected for " + name + ": token expired"
                            : "token refreshed for " + name;
                }
                default -> {
                    db = dbLine(t, "SELECT payments", 1, trace);
                    boolean found = rnd.nextDouble() >= 0.01;
                    status = found ? 200 : 404;
                    message = "payment " + id + " status " + (found ? (rnd.nextBoolean() ? "settled" : "pending")
                            : "unknown");
                }
            }
            if (slow != null && !slow.provider && db > 0) {
                anomaly = anomaly != 0 ? anomaly : slow.id;
            }
            double lat = own + db + downstream;
            Planned bad = active(AnomalyKind.ERROR_SPIKE, t);
            if (bad != null && bad.service == svc && rnd.nextDouble() < bad.strength) {
                status = 500;
                level = "ERROR";
                error = "NPE";
                message = "unhandled NullPointerException in " + handler(svc) + ": cannot read field '"
                        + (svc == AUTH ? "credentials" : svc == ORDERS ? "currency" : "merchant") + "' of null";
                anomaly = bad.id;
            } else if (db > DB_TIMEOUT) {
                status = 504;
                level = "ERROR";
                error = "DB_TIMEOUT";
                message = "timeout waiting for database after " + ms(DB_TIMEOUT) + " ms";
                lat = own + DB_TIMEOUT;
            } else if (downstream >= PAYMENTS_TIMEOUT) {
                status = 504;
                level = "ERROR";
                error = "UPSTREAM_TIMEOUT";
                message = "payments did not answer within " + ms(PAYMENTS_TIMEOUT) + " ms";
                lat = own + db + PAYMENTS_TIMEOUT;
            } else if (rnd.nextDouble() < 0.002) {
                status = 500;
                level = "ERROR";
                error = "INTERNAL";
                message = "unexpected error handling " + op + ": connection reset by peer";
            }
            lat = Math.min(lat, UPSTREAM_TIMEOUT - 1);
            add(t + (long) lat, svc, level, op, trace, name, ip, lat, status, error, message, anomaly);
            double gwLat = lat + lognormal(2, 0.3);
            add(t + (long) gwLat, gw, status >= 500 ? "WARN" : "INFO", op, trace, name, ip, gwLat, status,
                    status >= 500 ? "UPSTREAM_" + status : null,
                    r.method + " " + path + " " + status + " " + ms(gwLat) + " ms upstream=" + SERVICE[svc], anomaly);
        }

        /**
         * The payments service authorising an order (its entry and its query); returns the time it took, negative
         * when the payment was declined.
         */
        private double payment(long t, long order, String trace, String name, String ip, Planned slow) {
            double provider = lognormal(120, 0.4);
            int anomaly = 0;
            if (slow != null && slow.provider) {
                provider *= slow.strength;
                anomaly = slow.id;
            }
            double q = dbLine(t, "INSERT payments", 1, trace);
            if (slow != null && !slow.provider) {
                anomaly = slow.id;
            }
            Planned creep = active(AnomalyKind.LATENCY_CREEP, t);
            double own = lognormal(8, 0.4);
            if (creep != null && creep.service == PAYMENTS) {
                own *= creep.creep(t);
                anomaly = creep.id;
            }
            double took = Math.min(own + q + provider, PAYMENTS_TIMEOUT);
            boolean declined = rnd.nextDouble() < 0.02;
            Planned bad = active(AnomalyKind.ERROR_SPIKE, t);
            if (bad != null && bad.service == PAYMENTS && rnd.nextDouble() < bad.strength) {
                add(t + (long) took, PAYMENTS, "ERROR", "authorise", trace, name, ip, took, 500, "NPE",
                        "unhandled NullPointerException in " + handler(PAYMENTS) + ": cannot read field 'merchant' of null",
                        bad.id);
                return -took;
            }
            if (took >= PAYMENTS_TIMEOUT) {
                add(t + (long) took, PAYMENTS, "ERROR", "authorise", trace, name, ip, took, 504, "PROVIDER_TIMEOUT",
                        "payment " + order + " failed: provider did not answer within " + ms(PAYMENTS_TIMEOUT) + " ms",
                        anomaly);
                return took;
            }
            add(t + (long) took, PAYMENTS, declined ? "WARN" : "INFO", "authorise", trace, name, ip, took,
                    declined ? 402 : 201, declined ? "DECLINED" : null,
                    declined ? "payment " + order + " declined: insufficient funds"
                            : "payment " + order + " authorised: " + (5 + rnd.nextInt(500)) + " EUR via "
                            + (rnd.nextBoolean() ? "card" : "wallet"), anomaly);
            return declined ? -took : took;
        }

        private String handler(int svc) {
            return svc == AUTH ? "LoginController.authenticate" : svc == ORDERS ? "OrderController.handle"
                    : "PaymentController.handle";
        }

        /** A query the database logs; returns its time. */
        private double dbLine(long t, String op, int rows, String trace) {
            if (silent(DB, t)) {
                return DB_TIMEOUT + 1;
            }
            double q = query(t);
            Planned slow = active(AnomalyKind.LATENCY_SPIKE, t);
            int anomaly = slow != null && !slow.provider ? slow.id : 0;
            boolean isSlow = q > SLOW_QUERY;
            add(t + (long) q, DB, isSlow ? "WARN" : "INFO", op, trace, null, null, q, 0, null,
                    (isSlow ? "slow query: " : "") + op + " took " + ms(q) + " ms, " + rows + " rows", anomaly);
            return q;
        }

        private int poisson(double lambda) {
            if (lambda <= 0) {
                return 0;
            }
            if (lambda > 50) {
                return Math.max(0, (int) Math.round(lambda + Math.sqrt(lambda) * rnd.nextGaussian()));
            }
            double l = Math.exp(-lambda);
            int k = 0;
            double p = rnd.nextDouble();
            while (p > l) {
                k++;
                p *= rnd.nextDouble();
            }
            return k;
        }

        private void add(long t, int host, String level, String op, String trace, String name, String ip,
                         double latency, int status, String error, String message, int anomaly) {
            StringBuilder sb = new StringBuilder(256).append("{\"timestamp\":\"");
            timestamp(sb, t);
            sb.append("\",\"level\":\"").append(level).append("\",\"service\":\"").append(SERVICE[host])
                    .append("\",\"host\":\"").append(HOSTS.get(host)).append("\",\"operation\":");
            string(sb, op);
            if (trace != null) {
                sb.append(",\"trace_id\":\"").append(trace).append('"');
            }
            if (name != null) {
                sb.append(",\"user\":");
                string(sb, name);
            }
            if (ip != null) {
                sb.append(",\"client_ip\":\"").append(ip).append('"');
            }
            if (!Double.isNaN(latency)) {
                sb.append(",\"latency_ms\":").append(ms(latency));
            }
            if (status > 0) {
                sb.append(",\"status\":").append(status);
            }
            if (error != null) {
                sb.append(",\"error\":\"").append(error).append('"');
            }
            sb.append(",\"message\":");
            string(sb, message);
            pending.add(new Line(t, host, sb.append('}').toString(), anomaly));
        }

        /** ISO-8601 in UTC with milliseconds; the date and minute are formatted once a minute. */
        private void timestamp(StringBuilder sb, long t) {
            long minute = Math.floorDiv(t, MINUTE);
            if (minute != cachedMinute) {
                cachedMinute = minute;
                String iso = Instant.ofEpochMilli(minute * MINUTE).toString();   // 2024-03-07T10:15:00Z
                cachedPrefix = iso.substring(0, 17);
            }
            int ms = (int) (t - minute * MINUTE);
            int sec = ms / 1000;
            int milli = ms % 1000;
            sb.append(cachedPrefix).append((char) ('0' + sec / 10)).append((char) ('0' + sec % 10)).append('.')
                    .append((char) ('0' + milli / 100)).append((char) ('0' + milli / 10 % 10))
                    .append((char) ('0' + milli % 10)).append('Z');
        }
    }

    /** Milliseconds with one decimal, as JSON numbers and in messages. */
    static String ms(double v) {
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : (tenths / 10) + "." + (tenths % 10);
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /** Configures a {@link ServicesSimulator}. */
    public static final class Builder {
        private long entries = 1_000_000;
        private double days = 7;
        private Instant start = DEFAULT_START;
        private long seed = 42;
        private double anomaliesPerDay = 8;

        public Builder entries(long n) {
            if (n < 1) {
                throw new AnomalogException("the number of entries must be at least 1, got " + n);
            }
            this.entries = n;
            return this;
        }

        /** The span in days (fractions allowed). */
        public Builder days(double d) {
            if (!(d > 0) || d > 3660) {
                throw new AnomalogException("the span must be more than 0 and at most 3660 days, got " + d);
            }
            this.days = d;
            return this;
        }

        public Builder start(Instant t) {
            this.start = java.util.Objects.requireNonNull(t, "start");
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Anomalies injected per day of the span (0 for none). */
        public Builder anomaliesPerDay(double n) {
            if (!(n >= 0) || n > 200) {
                throw new AnomalogException("anomalies per day must be between 0 and 200, got " + n);
            }
            this.anomaliesPerDay = n;
            return this;
        }

        public ServicesSimulator build() {
            return new ServicesSimulator(this);
        }
    }
}
