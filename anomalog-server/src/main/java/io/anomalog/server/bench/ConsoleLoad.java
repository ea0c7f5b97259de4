package io.anomalog.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalog.core.io.Json;
import io.anomalog.server.ApiToken;
import io.anomalog.server.HttpAddress;
import io.anomalog.server.LiveConsole;
import io.anomalog.stream.broker.KafkaConnection;
import io.anomalog.stream.metrics.StreamMetrics;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A console under the load of its pages while a detector runs: it starts the {@link LiveConsole} of a cluster, sends
 * the API requests a set of open pages send (the list, one anomaly, the metrics, the chart) at a steady rate and
 * times each, and reads the event stream to time each new anomaly from its session's close to its arrival at a page.
 */
public final class ConsoleLoad implements AutoCloseable {

    /**
     * Latencies of one kind of request, in milliseconds: as the client saw them, and the p99 of the time the console
     * says (its {@code Server-Timing} header) it spent in the handler, NaN where it says nothing.
     */
    public record Latency(String what, int count, int failed, double p50, double p99, double max, double serverP99) {
    }

    /**
     * Collections the JVM's collectors reported (console and detector share it) while the load ran, with the
     * durations they reported.
     *
     * @param count collections
     * @param totalMs their sum
     * @param maxMs the longest
     * @param over50 collections of more than 50 ms
     */
    public record Pauses(int count, double totalMs, double maxMs, int over50) {
    }

    /**
     * What was measured; {@code maxLoad} is the highest system load average seen during the load, {@code history}
     * the anomalies the console held at the last metrics request (-1 before one).
     */
    public record Result(List<Latency> requests, Latency all, Latency pushed, double requestsPerSecond, Pauses gc,
                         double maxLoad, int history) {
    }

    private static final String[] ROUTES = {"api/anomalies?limit=50", "api/metrics", "api/anomaly-rate?minutes=60",
            "ONE"};

    private final LiveConsole console;
    private final double rate;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, List<Double>> times = new LinkedHashMap<>();
    private final Map<String, int[]> failures = new LinkedHashMap<>();
    private final Map<String, List<Double>> serverTimes = new LinkedHashMap<>();
    private final List<Double> gcPauses = new CopyOnWriteArrayList<>();
    private final List<Runnable> unlisten = new ArrayList<>();
    private volatile double maxLoad = -1;
    private volatile int history = -1;
    private final List<Double> pushed = new CopyOnWriteArrayList<>();
    private volatile boolean stop;
    private volatile String lastId;
    private final Thread requester;
    private final Thread listener;
    private long startNanos;
    private long endNanos;

    /**
     * @param requestsPerSecond API requests sent per second, spread evenly over the routes
     */
    public ConsoleLoad(KafkaConnection kafka, StreamMetrics metrics, String detectorGroup, double requestsPerSecond) {
        byte[] b = new byte[24];
        new java.security.SecureRandom().nextBytes(b);
        this.console = LiveConsole.start(kafka, 1, metrics, null, detectorGroup, HttpAddress.parse("127.0.0.1:0"),
                ApiToken.given(java.util.HexFormat.of().formatHex(b)), said -> { });
        this.rate = requestsPerSecond;
        for (String r : ROUTES) {
            times.put(label(r), new ArrayList<>());
            failures.put(label(r), new int[1]);
            serverTimes.put(label(r), new ArrayList<>());
        }
        listenToGc();
        listener = new Thread(this::listen, "console-load-events");
        listener.setDaemon(true);
        listener.start();
        requester = new Thread(this::request, "console-load-requests");
        requester.setDaemon(true);
        startNanos = System.nanoTime();
        requester.start();
    }

    private static String label(String route) {
        return route.equals("ONE") ? "GET /api/anomalies/{id}" : "GET /" + route.replaceAll("\\?.*", "");
    }

    private void request() {
        long interval = (long) (1e9 / rate);
        long next = System.nanoTime();
        int i = 0;
        while (!stop) {
            String route = ROUTES[i++ % ROUTES.length];
            String path = route.equals("ONE") ? (lastId == null ? ROUTES[0] : "api/anomalies/" + lastId) : route;
            String key = label(route.equals("ONE") && lastId == null ? ROUTES[0] : route);
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(console.url() + path))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                double ms = (System.nanoTime() - t0) / 1e6;
                double server = serverMillis(r.headers().firstValue("Server-Timing").orElse(null));
                double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                maxLoad = Math.max(maxLoad, load);
                if (r.statusCode() == 200 && route.equals("api/metrics")) {
                    history = Json.MAPPER.readTree(r.body()).path("history").path("anomalies").asInt(-1);
                }
                synchronized (times) {
                    if (r.statusCode() == 200) {
                        times.get(key).add(ms);
                        if (!Double.isNaN(server)) {
                            serverTimes.get(key).add(server);
                        }
                    } else {
                        failures.get(key)[0]++;
                    }
                }
            } catch (Exception e) {
                if (stop) {
                    return;
                }
                synchronized (times) {
                    failures.get(key)[0]++;
                }
            }
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime(); // behind: no burst to catch up
            }
        }
    }

    /** The {@code dur} of a {@code Server-Timing: app;dur=X} header, NaN when absent. */
    static double serverMillis(String header) {
        if (header == null) {
            return Double.NaN;
        }
        int i = header.indexOf("dur=");
        if (i < 0) {
            return Double.NaN;
        }
        int end = i + 4;
        while (end < header.length() && (Character.isDigit(header.charAt(end)) || header.charAt(end) == '.')) {
            end++;
        }
        try {
            return Double.parseDouble(header.substring(i + 4, end));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Records the JVM's collections (not a concurrent collector's cycles, which stop no thread) while the load runs. */
    private void listenToGc() {
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof javax.management.NotificationEmitter emitter) || gc.getName().contains("Concurrent")) {
                continue;
            }
            javax.management.NotificationListener l = (n, handback) -> {
                if (!n.getType().equals(com.sun.management.GarbageCollectionNotificationInfo
                        .GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) n.getUserData());
                if (!stop) {
                    gcPauses.add((double) info.getGcInfo().getDuration());
                }
            };
            emitter.addNotificationListener(l, null, null);
            unlisten.add(() -> {
                try {
                    emitter.removeNotificationListener(l);
                } catch (javax.management.ListenerNotFoundException e) {
                    // gone already
                }
            });
        }
    }

    private void listen() {
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(console.url() + "api/events"))
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String event = null;
                for (String line; !stop && (line = in.readLine()) != null; ) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:") && "anomaly".equals(event)) {
                        long now = System.currentTimeMillis();
                        JsonNode a = Json.MAPPER.readTree(line.substring(5).trim());
                        lastId = a.path("id").asText(null);
                        String closed = a.path("closedAt").asText(null);
                        if (closed != null) {
                            pushed.add((double) (now - Instant.parse(closed).toEpochMilli()));
                        }
                    }
                }
            }
        } catch (Exception e) {
            // the console closed
        }
    }

    /** Stops the load and the console. */
    @Override
    public void close() {
        stop = true;
        endNanos = System.nanoTime();
        requester.interrupt();
        try {
            requester.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        console.close();
        unlisten.forEach(Runnable::run);
    }

    /** The figures (after {@link #close()}). */
    public Result result() {
        List<Latency> out = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        List<Double> allServer = new ArrayList<>();
        int allFailed = 0;
        synchronized (times) {
            for (var e : times.entrySet()) {
                out.add(latency(e.getKey(), e.getValue(), failures.get(e.getKey())[0], serverTimes.get(e.getKey())));
                all.addAll(e.getValue());
                allServer.addAll(serverTimes.get(e.getKey()));
                allFailed += failures.get(e.getKey())[0];
            }
        }
        double seconds = (endNanos - startNanos) / 1e9;
        double[] p = gcPauses.stream().mapToDouble(Double::doubleValue).toArray();
        Pauses gc = new Pauses(p.length, java.util.Arrays.stream(p).sum(), java.util.Arrays.stream(p).max().orElse(0),
                (int) java.util.Arrays.stream(p).filter(x -> x > 50).count());
        return new Result(out, latency("every request", all, allFailed, allServer), latency("anomaly pushed to a page, "
                + "from its session's close", pushed, 0, List.of()), (all.size() + allFailed) / seconds, gc, maxLoad,
                history);
    }

    private static Latency latency(String what, List<Double> ms, int failed, List<Double> server) {
        double[] v = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] sv = server.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Latency(what, v.length, failed, pct(v, 0.5), pct(v, 0.99), v.length == 0 ? Double.NaN : v[v.length - 1],
                pct(sv, 0.99));
    }

    private static double pct(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

}
