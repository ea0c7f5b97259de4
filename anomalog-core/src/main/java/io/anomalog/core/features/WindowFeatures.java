package io.anomalog.core.features;

import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Feature vectors of time windows of structured (JSON) events, per service and host: the one extractor every
 * method that judges windows on their fields reads. A window's vector holds
 * <ul>
 *   <li>{@code entries} and the counts per level ({@code level_debug}, {@code level_info}, {@code level_warn},
 *       {@code level_error}; FATAL and CRITICAL count as errors);</li>
 *   <li>{@code error_rate}: the share of entries at level ERROR or with a status of 500 or more;</li>
 *   <li>{@code status_CODE} for every status code of the {@link Schema}, and {@code status_other};</li>
 *   <li>{@code latency_mean}, {@code latency_p95} and {@code latency_max} of the response times (0 without);</li>
 *   <li>{@code latency_z_shift}, {@code latency_z_p95} and {@code latency_z_max}: each response time in robust
 *       deviations from what entries of its template and operation took in training ({@link LatencyNorm}; 0
 *       without); the shift is the sum of the deviations, each counted as at most {@link #LATENCY_Z_CLIP}, over
 *       the square root of their number: their winsorised mean times sqrt(n), a z statistic whose spread on
 *       normal windows is about the same in a quiet minute of three requests as in a busy one of fifty, where
 *       the mean would swing widely in the quiet ones and hide a small slow-down in the busy ones (schemas
 *       before version {@value #SHIFT_SINCE} have {@code latency_z_mean}, the mean, instead). A window's plain
 *       response times mostly say which operations it served: a cheap operation slowed down three times can
 *       still be faster than the average mix, while against its own operation's usual time the slow-down stands
 *       out. The operation field ({@link Fields#operation}) refines
 *       the template because one template often covers many operations ({@code GET <*> ms upstream=orders} for a
 *       catalogue page and a single order alike), and a norm over such a mixture is as wide as the mixture;
 *       where an operation had too few response times in training its template's norm judges it;</li>
 *   <li>{@code distinct_users}, {@code distinct_addresses}, and {@code address_max_entries} (entries of the
 *       busiest client address);</li>
 *   <li>{@code template_ID} for every template of the schema, and {@code template_other}.</li>
 * </ul>
 * Windows are aligned to the epoch ({@code floor(time / width)}); every service and host gets a window for every
 * width-long step from the first event's window to the last one's, empty ones included, so a host that falls
 * silent shows as windows with no entries.
 *
 * <pre>{@code
 * WindowFeatures.Accumulator acc = WindowFeatures.accumulator(Duration.ofMinutes(1), WindowFeatures.Fields.DEFAULT);
 * events.forEach(acc::add);
 * List<WindowFeatures.Series> series = acc.finish();
 * WindowFeatures.Schema schema = WindowFeatures.Schema.fit(series, acc.width());
 * double[][] rows = series.get(0).vectors(schema);
 * }</pre>
 */
public final class WindowFeatures {

    /** The default window width. */
    public static final Duration DEFAULT_WIDTH = Duration.ofMinutes(1);
    /** The schema's format version. */
    public static final int SCHEMA_VERSION = 5;
    /**
     * The oldest schema version read: version 2 had no per-operation norms, and reads as a schema without them;
     * versions 2 and 3 took the plain mean of the deviations for {@code latency_z_mean}, and are read so;
     * versions before 5 have {@code latency_z_mean} where version 5 has {@code latency_z_shift}, and are read so.
     */
    static final int OLDEST_SCHEMA_VERSION = 2;
    /**
     * Deviations beyond this many are counted as this many in {@code latency_z_shift} (and in the mean of version
     * 4): one query a hundred times slower than usual, which normal traffic has now and then, would otherwise move
     * a minute of twenty requests as much as all of them slowed down a little.
     */
    public static final double LATENCY_Z_CLIP = 4;
    /** The first schema version whose {@code latency_z_mean} is winsorised at {@link #LATENCY_Z_CLIP}. */
    static final int WINSORISED_SINCE = 4;
    /** The first schema version with {@code latency_z_shift} in place of {@code latency_z_mean}. */
    static final int SHIFT_SINCE = 5;
    /** Response times of a template in training needed before its times are judged against their norm. */
    public static final int MIN_NORM_LATENCIES = 30;
    /** The least deviation scale of a norm, in ln(1 + ms), so a template of near-constant times is not over-read. */
    static final double MIN_NORM_SCALE = 0.05;

    private WindowFeatures() {
    }

    /**
     * Where the values are: for each, the field names tried in order (the first present is used).
     *
     * @param latency response time in ms
     * @param status  HTTP status or numeric error code
     * @param user    user name or id
     * @param address client address
     * @param operation the operation an entry served (endpoint, route), whose usual response time it is judged
     *                  against; a model saved without it reads none
     */
    public record Fields(List<String> latency, List<String> status, List<String> user, List<String> address,
                         List<String> operation) {
        public static final Fields DEFAULT = new Fields(
                List.of("latency_ms", "response_time_ms", "duration_ms", "elapsed_ms"),
                List.of("status", "status_code", "http.status", "http.response.status_code"),
                List.of("user", "user.name", "user_id", "username"),
                List.of("client_ip", "client.ip", "source.ip", "remote_addr", "ip"),
                List.of("operation", "endpoint", "route", "http.route"));

        public Fields {
            latency = List.copyOf(latency);
            status = List.copyOf(status);
            user = List.copyOf(user);
            address = List.copyOf(address);
            operation = operation == null ? List.of() : List.copyOf(operation);
        }

        /** The status code of an entry's fields, or null. */
        public Integer statusOf(Map<String, Object> f) {
            return Accumulator.number(f, status);
        }

        /** The response time of an entry's fields, or NaN. */
        public double latencyOf(Map<String, Object> f) {
            return Accumulator.latency(f, latency);
        }

        /** The user of an entry's fields, or null. */
        public String userOf(Map<String, Object> f) {
            return Accumulator.text(f, user);
        }

        /** The client address of an entry's fields, or null. */
        public String addressOf(Map<String, Object> f) {
            return Accumulator.text(f, address);
        }

        /** The operation of an entry's fields, or null. */
        public String operationOf(Map<String, Object> f) {
            return Accumulator.text(f, operation);
        }
    }

    /** The level names {@link #levelIndex} maps to 0..3. */
    public static final List<String> LEVELS = List.of("DEBUG", "INFO", "WARN", "ERROR");

    /**
     * The level column of a level text: 0 debug (and trace), 1 info (and anything unknown or missing), 2 warn,
     * 3 error (and fatal, critical, severe). Only the first letter is read.
     */
    public static int levelIndex(String level) {
        if (level == null || level.isEmpty()) {
            return 1;
        }
        return switch (Character.toUpperCase(level.charAt(0))) {
            case 'T', 'D' -> 0;
            case 'W' -> 2;
            case 'E', 'F', 'C', 'S' -> 3;    // error, fatal, critical, severe
            default -> 1;
        };
    }

    /** The id of a window of a series: {@code service@host@start} (ISO-8601), as batch and live name it. */
    public static String windowId(String service, String host, long startMillis) {
        return service + "@" + host + "@" + Instant.ofEpochMilli(startMillis);
    }

    /**
     * What the response times of one template's entries were in training: the median and a robust scale (1.4826
     * times the median absolute deviation, at least {@value #MIN_NORM_SCALE}) of ln(1 + ms), robust so that the
     * anomalies a training span holds do not widen the norm they are judged against.
     *
     * @param center    median of ln(1 + ms)
     * @param scale     robust deviation of ln(1 + ms)
     * @param latencies how many response times it was fitted on
     */
    public record LatencyNorm(double center, double scale, long latencies) {
        /** How many deviations above the norm a response time is (negative below it). */
        public double deviations(double latencyMillis) {
            return (Math.log1p(Math.max(0, latencyMillis)) - center) / scale;
        }

        static LatencyNorm fit(double[] values) {
            int n = values.length;
            double[] v = values.clone();
            for (int i = 0; i < n; i++) {
                v[i] = Math.log1p(Math.max(0, v[i]));
            }
            double median = median(v);
            for (int i = 0; i < n; i++) {
                v[i] = Math.abs(v[i] - median);
            }
            return new LatencyNorm(median, Math.max(MIN_NORM_SCALE, 1.4826 * median(v)), n);
        }

        /** The median of v, reordering it: selection instead of a sort, as a schema fits a norm per operation too. */
        static double median(double[] v) {
            int n = v.length;
            double upper = select(v, n / 2);
            if (n % 2 == 1) {
                return upper;
            }
            // after selecting n/2, every value before it is at most it: the lower middle is their maximum
            double lower = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n / 2; i++) {
                lower = Math.max(lower, v[i]);
            }
            return (lower + upper) / 2;
        }

        /** The k-th smallest value (0-based) of v, with v reordered so that v[k] holds it (Hoare's selection). */
        private static double select(double[] v, int k) {
            int lo = 0;
            int hi = v.length - 1;
            while (lo < hi) {
                double pivot = v[(lo + hi) >>> 1];
                int i = lo;
                int j = hi;
                while (i <= j) {
                    while (v[i] < pivot) {
                        i++;
                    }
                    while (v[j] > pivot) {
                        j--;
                    }
                    if (i <= j) {
                        double t = v[i];
                        v[i] = v[j];
                        v[j] = t;
                        i++;
                        j--;
                    }
                }
                if (k <= j) {
                    hi = j;
                } else if (k >= i) {
                    lo = i;
                } else {
                    return v[k];
                }
            }
            return v[k];
        }
    }

    /**
     * The columns, fitted on training windows: the status codes and templates they hold, and the response-time norm
     * of every template, and of every operation of a template, with at least {@value #MIN_NORM_LATENCIES} response
     * times.
     *
     * @param version        {@link #SCHEMA_VERSION}
     * @param widthMillis    the window width
     * @param statuses       status codes with a column of their own, ascending
     * @param templates      template ids with a column of their own, ascending
     * @param latencyNorms   per template id, its response-time norm
     * @param operationNorms per template id, the response-time norm of each of its operations
     */
    public record Schema(int version, long widthMillis, List<Integer> statuses, List<Integer> templates,
                         Map<Integer, LatencyNorm> latencyNorms, Map<Integer, Map<String, LatencyNorm>> operationNorms) {

        static final List<String> HEAD = List.of("entries", "level_debug", "level_info", "level_warn", "level_error",
                "error_rate");
        static final List<String> TAIL = List.of("latency_mean", "latency_p95", "latency_max", "latency_z_shift",
                "latency_z_p95", "latency_z_max", "distinct_users", "distinct_addresses", "address_max_entries");
        /** Where {@link #TAIL} has {@code latency_z_shift}, which schemas before {@link #SHIFT_SINCE} call so. */
        private static final int SHIFT_COLUMN = 3;

        public Schema {
            if (version < OLDEST_SCHEMA_VERSION || version > SCHEMA_VERSION) {
                throw new AnomalogException("window feature schema has format version " + version + "; this anomalog "
                        + "reads versions " + OLDEST_SCHEMA_VERSION + " to " + SCHEMA_VERSION + ": train the model again");
            }
            if (widthMillis <= 0) {
                throw new AnomalogException("window width must be positive, got " + widthMillis + " ms");
            }
            statuses = List.copyOf(statuses);
            templates = List.copyOf(templates);
            latencyNorms = sorted(latencyNorms == null ? Map.of() : latencyNorms);
            Map<Integer, Map<String, LatencyNorm>> ops = new TreeMap<>();
            if (operationNorms != null) {
                operationNorms.forEach((t, m) -> ops.put(t, sorted(m)));
            }
            operationNorms = sorted(ops);
        }

        /**
         * An unmodifiable copy that iterates in key order, so the same training writes the same file (Map.copyOf
         * iterates in an order that changes from one JVM to the next), and that looks up by hash: the norms are
         * looked up once per response time.
         */
        private static <K extends Comparable<K>, V> Map<K, V> sorted(Map<K, V> m) {
            return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(m)));
        }

        /** The norm a response time of this template and operation (null for none) is judged against, or null. */
        LatencyNorm normOf(int template, String operation) {
            if (operation != null) {
                Map<String, LatencyNorm> ops = operationNorms.get(template);
                LatencyNorm n = ops == null ? null : ops.get(operation);
                if (n != null) {
                    return n;
                }
            }
            return latencyNorms.get(template);
        }

        /** Every status code and template id the windows hold gets a column. */
        public static Schema fit(List<Series> series, Duration width) {
            return fit(series, width, Long.MAX_VALUE);
        }

        /** Every status code and template id of the windows that start before {@code untilMillis} gets a column. */
        public static Schema fit(List<Series> series, Duration width, long untilMillis) {
            return fit(series, width, untilMillis, 0);
        }

        /**
         * A column for every status code and template id found in at least {@code minShare} of the windows that
         * start before {@code untilMillis}; rarer ones are counted in {@code status_other} and
         * {@code template_other}, so a rare value does not get a column of its own whose few non-zero values
         * would dominate any distance.
         */
        public static Schema fit(List<Series> series, Duration width, long untilMillis, double minShare) {
            Map<Integer, int[]> statuses = new HashMap<>();
            Map<Integer, int[]> templates = new HashMap<>();
            Map<Integer, java.util.stream.DoubleStream.Builder> latencies = new HashMap<>();
            Map<Integer, Map<String, java.util.stream.DoubleStream.Builder>> byOperation = new HashMap<>();
            long windows = 0;
            for (Series s : series) {
                for (Window w : s.windows) {
                    if (w.start >= untilMillis) {
                        break;
                    }
                    windows++;
                    for (int i = 0; i < w.statuses.n; i++) {
                        statuses.computeIfAbsent(w.statuses.keys[i], x -> new int[1])[0]++;
                    }
                    for (int i = 0; i < w.templates.n; i++) {
                        templates.computeIfAbsent(w.templates.keys[i], x -> new int[1])[0]++;
                    }
                    for (int i = 0; i < w.latencyCount; i++) {
                        latencies.computeIfAbsent(w.latencyTemplates[i], x -> java.util.stream.DoubleStream.builder())
                                .add(w.latencies[i]);
                        if (w.latencyOperations[i] != null) {
                            byOperation.computeIfAbsent(w.latencyTemplates[i], x -> new HashMap<>())
                                    .computeIfAbsent(w.latencyOperations[i], x -> java.util.stream.DoubleStream.builder())
                                    .add(w.latencies[i]);
                        }
                    }
                }
            }
            double min = Math.max(1, minShare * windows);
            Map<Integer, LatencyNorm> norms = new TreeMap<>();
            latencies.forEach((t, b) -> {
                double[] times = b.build().toArray();
                if (times.length >= MIN_NORM_LATENCIES) {
                    norms.put(t, LatencyNorm.fit(times));
                }
            });
            Map<Integer, Map<String, LatencyNorm>> operationNorms = new TreeMap<>();
            byOperation.forEach((t, ops) -> {
                Map<String, LatencyNorm> fitted = new TreeMap<>();
                ops.forEach((op, b) -> {
                    double[] times = b.build().toArray();
                    if (times.length >= MIN_NORM_LATENCIES) {
                        fitted.put(op, LatencyNorm.fit(times));
                    }
                });
                // One operation is the template itself: its norm would repeat the template's.
                if (fitted.size() > 1 || fitted.size() == 1 && ops.size() > 1) {
                    operationNorms.put(t, fitted);
                }
            });
            return new Schema(SCHEMA_VERSION, width.toMillis(), frequent(statuses, min), frequent(templates, min),
                    norms, operationNorms);
        }

        private static List<Integer> frequent(Map<Integer, int[]> counts, double min) {
            TreeSet<Integer> out = new TreeSet<>();
            counts.forEach((k, c) -> {
                if (c[0] >= min) {
                    out.add(k);
                }
            });
            return new ArrayList<>(out);
        }

        public int width() {
            return HEAD.size() + statuses.size() + 1 + TAIL.size() + templates.size() + 1;
        }

        public List<String> names() {
            List<String> n = new ArrayList<>(HEAD);
            statuses.forEach(s -> n.add("status_" + s));
            n.add("status_other");
            n.addAll(TAIL);
            if (version < SHIFT_SINCE) {
                n.set(n.size() - TAIL.size() + SHIFT_COLUMN, "latency_z_mean");
            }
            templates.forEach(t -> n.add("template_" + t));
            n.add("template_other");
            return n;
        }
    }

    /** A growable list of ints. */
    private static final class Ints {
        int[] a = new int[8];
        int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }
    }

    /**
     * How often each int key occurs, for the few distinct status codes and templates one window holds: a linear
     * scan over two arrays, where a hash map would box every key and chase a node per entry.
     */
    private static final class IntCounts {
        int[] keys = new int[4];
        int[] counts = new int[4];
        int n;

        void add(int key) {
            for (int i = 0; i < n; i++) {
                if (keys[i] == key) {
                    counts[i]++;
                    return;
                }
            }
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, n * 2);
                counts = Arrays.copyOf(counts, n * 2);
            }
            keys[n] = key;
            counts[n++] = 1;
        }

        /** Adds each count at its key's place in the ascending {@code columns}, and returns the rest's total. */
        int into(List<Integer> columns, double[] v, int at) {
            int other = 0;
            for (int i = 0; i < n; i++) {
                int c = java.util.Collections.binarySearch(columns, keys[i]);
                if (c >= 0) {
                    v[at + c] = counts[i];
                } else {
                    other += counts[i];
                }
            }
            return other;
        }
    }

    /**
     * How often each text occurs (users, client addresses), kept as 64-bit hashes in an open-addressing table:
     * a window outlives the entries it counts, and holding their strings in hash sets kept every one of them, and
     * a node per value, alive through every collection while a day of windows filled. Two different texts share a
     * hash with a chance of about d^2 / 2^65 for d distinct texts in a window, far below one in a billion billion.
     */
    private static final class TextCounts {
        long[] keys = new long[16];
        int[] counts = new int[16];
        int n;
        int max;

        void add(String text) {
            long h = hash(text);
            int mask = keys.length - 1;
            int i = (int) h & mask;
            while (keys[i] != 0) {
                if (keys[i] == h) {
                    max = Math.max(max, ++counts[i]);
                    return;
                }
                i = (i + 1) & mask;
            }
            keys[i] = h;
            counts[i] = 1;
            max = Math.max(max, 1);
            if (++n * 2 > keys.length) {
                grow();
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldCounts = counts;
            keys = new long[oldKeys.length * 2];
            counts = new int[keys.length];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != 0) {
                    int i = (int) oldKeys[j] & mask;
                    while (keys[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    counts[i] = oldCounts[j];
                }
            }
        }

        /** FNV-1a over the chars, then MurmurHash3's finaliser so the low bits that pick a slot are mixed; never 0. */
        static long hash(String text) {
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < text.length(); i++) {
                h ^= text.charAt(i);
                h *= 0x100000001b3L;
            }
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            h ^= h >>> 33;
            return h == 0 ? 1 : h;
        }
    }

    /** One window of one service and host, as it is accumulated. */
    public static final class Window {
        final long start;
        int entries;
        final int[] levels = new int[4];
        int errors;
        final IntCounts statuses = new IntCounts();
        double[] latencies = new double[0];
        /** The template of each response time. */
        int[] latencyTemplates = new int[0];
        /** The operation of each response time, null where the entry named none. */
        String[] latencyOperations = new String[0];
        int latencyCount;
        final TextCounts users = new TextCounts();
        final TextCounts addresses = new TextCounts();
        final IntCounts templates = new IntCounts();
        final Ints keys = new Ints();

        Window(long start) {
            this.start = start;
        }

        /** A window without entries (a series that logged nothing in it). */
        public static Window empty(long start) {
            return new Window(start);
        }

        public long start() {
            return start;
        }

        public int entries() {
            return entries;
        }

        /** The template ids of its entries, in the order they were added. */
        public int[] keys() {
            return Arrays.copyOf(keys.a, keys.n);
        }

        void add(String level, Integer status, double latency, String user, String address, String operation,
                 int template) {
            entries++;
            int lv = levelIndex(level);
            levels[lv]++;
            if (lv == 3 || status != null && status >= 500) {
                errors++;
            }
            if (status != null) {
                statuses.add(status);
            }
            if (!Double.isNaN(latency)) {
                if (latencyCount == latencies.length) {
                    latencies = Arrays.copyOf(latencies, Math.max(16, latencyCount * 2));
                    latencyTemplates = Arrays.copyOf(latencyTemplates, latencies.length);
                    latencyOperations = Arrays.copyOf(latencyOperations, latencies.length);
                }
                latencyTemplates[latencyCount] = template;
                latencyOperations[latencyCount] = operation;
                latencies[latencyCount++] = latency;
            }
            if (user != null) {
                users.add(user);
            }
            if (address != null) {
                addresses.add(address);
            }
            templates.add(template);
            keys.add(template);
        }

        /** The window's vector in the schema's columns. */
        public double[] vector(Schema schema) {
            double[] v = new double[schema.width()];
            int i = 0;
            v[i++] = entries;
            for (int l : levels) {
                v[i++] = l;
            }
            v[i++] = entries == 0 ? 0 : (double) errors / entries;
            int other = statuses.into(schema.statuses(), v, i);
            i += schema.statuses().size();
            v[i++] = other;
            if (latencyCount > 0) {
                summarise(Arrays.copyOf(latencies, latencyCount), latencyCount, v, i);
                double[] z = new double[latencyCount];
                int nz = 0;
                for (int k = 0; k < latencyCount; k++) {
                    LatencyNorm norm = schema.normOf(latencyTemplates[k], latencyOperations[k]);
                    if (norm != null) {
                        z[nz++] = norm.deviations(latencies[k]);
                    }
                }
                if (nz > 0) {
                    summarise(z, nz, v, i + Schema.SHIFT_COLUMN);
                    if (schema.version() >= SHIFT_SINCE) {
                        v[i + Schema.SHIFT_COLUMN] = winsorisedMean(z, nz) * Math.sqrt(nz);
                    } else if (schema.version() >= WINSORISED_SINCE) {
                        v[i + Schema.SHIFT_COLUMN] = winsorisedMean(z, nz);
                    }
                }
            }
            i += 6;
            v[i++] = users.n;
            v[i++] = addresses.n;
            v[i++] = addresses.max;
            other = templates.into(schema.templates(), v, i);
            i += schema.templates().size();
            v[i] = other;
            return v;
        }
    }

    /** The mean of the first n values, each counted as at most {@link #LATENCY_Z_CLIP} away from 0. */
    private static double winsorisedMean(double[] values, int n) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += Math.max(-LATENCY_Z_CLIP, Math.min(LATENCY_Z_CLIP, values[k]));
        }
        return sum / n;
    }

    /** Mean, 95th percentile and maximum of the first n values (sorted in place) into out[at..at+2]. */
    private static void summarise(double[] values, int n, double[] out, int at) {
        Arrays.sort(values, 0, n);
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += values[k];
        }
        out[at] = sum / n;
        out[at + 1] = values[Math.min(n - 1, (int) Math.ceil(0.95 * n) - 1)];
        out[at + 2] = values[n - 1];
    }

    /**
     * The windows of one service and host, in time order, with no gaps.
     *
     * @param service the service (the record's component)
     * @param host    the host
     */
    public record Series(String service, String host, List<Window> windows) {
        /** {@code service@host}. */
        public String name() {
            return service + "@" + host;
        }

        /** Every window's vector, in time order. */
        public double[][] vectors(Schema schema) {
            double[][] out = new double[windows.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = windows.get(i).vector(schema);
            }
            return out;
        }
    }

    public static Accumulator accumulator(Duration width, Fields fields) {
        return new Accumulator(width, fields);
    }

    /** Collects events into windows; {@link #finish()} gives the series. Not thread-safe. */
    public static final class Accumulator {
        private final long width;
        private final Fields fields;
        private final Map<String, Map<String, Map<Long, Window>>> groups = new LinkedHashMap<>();
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;
        private long skipped;
        /**
         * One instance of each operation name: every entry's name is a new string, and the norms are looked up
         * by it once per response time, so a shared instance (its hash computed once, equal by identity) keeps
         * the lookups cheap.
         */
        private final Map<String, String> operations = new HashMap<>();

        private Accumulator(Duration width, Fields fields) {
            if (width == null || width.isNegative() || width.isZero()) {
                throw new AnomalogException("the window width must be positive, got " + width);
            }
            this.width = width.toMillis();
            this.fields = fields;
        }

        public Duration width() {
            return Duration.ofMillis(width);
        }

        /** Events without a time were not placed in a window. */
        public long skipped() {
            return skipped;
        }

        /** Adds a parsed event; one without a readable time is counted in {@link #skipped()}. */
        public void add(ParsedEvent e) {
            long millis = fastIso(e.record().timestamp());
            if (millis == Long.MIN_VALUE) {
                Instant t = e.record().time();
                if (t == null) {
                    skipped++;
                    return;
                }
                millis = t.toEpochMilli();
            }
            Map<String, Object> f = e.record().fields();
            add(e.record().component(), e.record().host(), millis, e.record().level(), number(f, fields.status),
                    latency(f, fields.latency), text(f, fields.user), text(f, fields.address),
                    text(f, fields.operation), e.templateId());
        }

        private String isoMinute;
        private long isoMinuteMillis;

        /**
         * {@code yyyy-MM-ddTHH:mm:ss.SSSZ} read without a formatter (the minute is read once while it lasts), or
         * {@link Long#MIN_VALUE} for any other text, which the record's time reader then reads.
         */
        long fastIso(String t) {
            if (t == null || t.length() != 24 || t.charAt(10) != 'T' || t.charAt(19) != '.' || t.charAt(23) != 'Z'
                    || t.charAt(13) != ':' || t.charAt(16) != ':') {
                return Long.MIN_VALUE;
            }
            if (isoMinute == null || !t.regionMatches(0, isoMinute, 0, 16)) {
                // read by hand: a formatter's parse, once per minute of every series, had cost a tenth of the time
                int year = digits(t, 0, 4);
                int month = digits(t, 5, 2);
                int day = digits(t, 8, 2);
                int hour = digits(t, 11, 2);
                int minute = digits(t, 14, 2);
                if (t.charAt(4) != '-' || t.charAt(7) != '-' || year < 0 || month < 1 || month > 12 || day < 1
                        || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
                    return Long.MIN_VALUE;
                }
                try {
                    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
                    isoMinuteMillis = ((epochDay * 24 + hour) * 60 + minute) * 60_000L;
                } catch (java.time.DateTimeException ex) {
                    return Long.MIN_VALUE;
                }
                isoMinute = t.substring(0, 16);
            }
            int sec = digits(t, 17, 2);
            int milli = digits(t, 20, 3);
            if (sec < 0 || sec > 59 || milli < 0) {
                return Long.MIN_VALUE;
            }
            return isoMinuteMillis + sec * 1000L + milli;
        }

        private static int digits(String t, int from, int n) {
            int v = 0;
            for (int i = from; i < from + n; i++) {
                char c = t.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                v = v * 10 + (c - '0');
            }
            return v;
        }

        private String lastService;
        private String lastHost;
        private Map<Long, Window> lastWindows;
        private Window lastWindow;

        /**
         * Adds one entry.
         *
         * @param status  its status code, null for none
         * @param latency   its response time, NaN for none
         * @param operation the operation it served, null for none
         */
        public void add(String service, String host, long timeMillis, String level, Integer status, double latency,
                        String user, String address, String operation, int template) {
            long start = Math.floorDiv(timeMillis, width) * width;
            first = Math.min(first, start);
            last = Math.max(last, start);
            String svc = service == null ? "-" : service;
            String h = host == null ? "-" : host;
            if (lastWindows == null || !svc.equals(lastService) || !h.equals(lastHost)) {
                lastWindows = groups.computeIfAbsent(svc, k -> new LinkedHashMap<>()).computeIfAbsent(h,
                        k -> new HashMap<>());
                lastService = svc;
                lastHost = h;
                lastWindow = null;
            }
            if (lastWindow == null || lastWindow.start != start) {
                // keyed by the window's number: starts, all multiples of the width, share their low bits and
                // would crowd a few buckets of the hash table
                lastWindow = lastWindows.computeIfAbsent(start / width, k -> new Window(start));
            }
            String op = null;
            if (operation != null && !Double.isNaN(latency)) {
                op = operations.putIfAbsent(operation, operation);
                op = op == null ? operation : op;
            }
            lastWindow.add(level, status, latency, user, address, op, template);
        }

        /** The series of every service and host seen, ordered by service then host, windows from first to last. */
        public List<Series> finish() {
            List<Series> out = new ArrayList<>();
            TreeMap<String, Map<String, Map<Long, Window>>> sorted = new TreeMap<>(groups);
            for (Map.Entry<String, Map<String, Map<Long, Window>>> s : sorted.entrySet()) {
                for (Map.Entry<String, Map<Long, Window>> h : new TreeMap<>(s.getValue()).entrySet()) {
                    List<Window> windows = new ArrayList<>();
                    for (long t = first; t <= last; t += width) {
                        Window w = h.getValue().get(t / width);
                        windows.add(w != null ? w : new Window(t));
                    }
                    out.add(new Series(s.getKey(), h.getKey(), windows));
                }
            }
            return out;
        }

        private static Integer number(Map<String, Object> f, List<String> names) {
            for (String n : names) {
                Object v = f.get(n);
                if (v instanceof Number x) {
                    return x.intValue();
                }
                if (v instanceof String s && !s.isEmpty()) {
                    try {
                        return Integer.parseInt(s.strip());
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
            return null;
        }

        private static double latency(Map<String, Object> f, List<String> names) {
            for (String n : names) {
                Object v = f.get(n);
                if (v instanceof Number x) {
                    return x.doubleValue();
                }
                if (v instanceof String s) {
                    try {
                        return Double.parseDouble(s.strip());
                    } catch (NumberFormatException e) {
                        return Double.NaN;
                    }
                }
            }
            return Double.NaN;
        }

        private static String text(Map<String, Object> f, List<String> names) {
            for (String n : names) {
                Object v = f.get(n);
                if (v != null) {
                    return v.toString();
                }
            }
            return null;
        }
    }

    /** Per column mean and standard deviation of rows, for standardising (a constant column gets scale 1). */
    public record Scaler(double[] mean, double[] std) {
        public static Scaler fit(List<double[]> rows, int width) {
            double[] mean = new double[width];
            double[] sq = new double[width];
            for (double[] r : rows) {
                for (int j = 0; j < width; j++) {
                    mean[j] += r[j];
                    sq[j] += r[j] * r[j];
                }
            }
            double[] std = new double[width];
            int n = Math.max(1, rows.size());
            for (int j = 0; j < width; j++) {
                mean[j] /= n;
                double var = sq[j] / n - mean[j] * mean[j];
                std[j] = var > 1e-12 ? Math.sqrt(var) : 1;
            }
            return new Scaler(mean, std);
        }

        public double[] apply(double[] row) {
            double[] out = new double[row.length];
            for (int j = 0; j < row.length; j++) {
                out[j] = (row[j] - mean[j]) / std[j];
            }
            return out;
        }
    }

    /** A short description of a width for reports: {@code 1 min}, {@code 30 s}. */
    public static String describe(Duration width) {
        long s = width.toSeconds();
        return s % 60 == 0 ? String.format(Locale.ROOT, "%d min", s / 60) : String.format(Locale.ROOT, "%d s", s);
    }
}
