package io.anomalog.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.anomalog.core.detect.ModelRegistry;
import io.anomalog.core.io.Json;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.stream.feedback.AnomalyHistory;
import io.anomalog.stream.feedback.FeedbackDesk;
import io.anomalog.stream.feedback.FeedbackRecord;
import io.anomalog.stream.feedback.FeedbackVerdict;
import io.anomalog.stream.metrics.StreamMetrics;
import io.anomalog.stream.topology.AnomalyRecord;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The web console and its REST API (Javalin), over an {@link AnomalyHistory} that a reader of the topics keeps
 * filled. Reading is open to whoever can reach the address (the machine itself by default); every request that
 * changes something (a verdict, a model activation) must carry the {@link ApiToken}. No CORS headers are sent, so
 * a page of another origin cannot read the API, and on a loopback address requests naming another host (DNS
 * rebinding) are refused. The routes are listed in {@code openapi.json}, served at {@code /api/openapi.json}.
 */
public final class ConsoleServer implements AutoCloseable {

    /** A route as registered; the OpenAPI document lists the same ones (a test checks it). */
    public record Route(String method, String path) {
    }

    static final Pattern ANOMALY_ID = Pattern.compile("a[0-9a-f]{16}");
    static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    static final Pattern VERSION = Pattern.compile("v[0-9]{1,9}");
    static final int MAX_LIMIT = 500;
    static final long MAX_BODY_BYTES = 16 * 1024;
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /** Request attribute: when the request reached the console (System.nanoTime). */
    private static final String STARTED = "anomalog.started";

    /** For a picture opened on its own: no script, no request, no frame; its inline styles only. */
    private static final String SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
            + "sandbox";

    private final Builder b;
    private final Javalin app;
    private final List<Route> routes = new ArrayList<>();
    private final List<Page> clients = new CopyOnWriteArrayList<>();
    private volatile boolean closing;

    /** An open page's events, waiting to be sent. */
    private static final class Page {
        final java.util.concurrent.BlockingQueue<String[]> queue = new java.util.concurrent.LinkedBlockingQueue<>(10_000);
    }
    private final ScheduledExecutorService timer = daemon("anomalog-console");
    /** Sampling waits on the cluster (up to seconds when it is slow): on its own thread, so pushes never wait. */
    private final ScheduledExecutorService sampler = daemon("anomalog-console-sampler");

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
    private int seenAnomalies;
    private int seenFeedback;
    private volatile Rates rates = new Rates(Map.of(), Map.of(), -1, null);
    private long lastRecordsIn = -1;
    private long lastSampleNanos;
    private Map<String, HostStats.Sample> lastHosts = Map.of();

    /** The figures the sampler reads every two seconds; {@code lag} is null until the first sample. */
    private record Rates(Map<String, HostStats.Sample> hosts, Map<String, Double> linesPerSecond, double recordsPerSecond,
                         Long lag) {
    }

    private ConsoleServer(Builder b) {
        this.b = b;
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/io/anomalog/server/console";
                sf.location = Location.CLASSPATH;
                sf.headers = securityHeaders();
            });
        });
        app.before(this::guard);
        app.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
        app.exception(AnomalogException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            System.err.println("anomalog console: " + ctx.method() + " " + ctx.path() + " failed: " + e);
            error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
        });
        route(HandlerType.GET, "/api/anomalies", this::list);
        route(HandlerType.GET, "/api/anomalies/{id}", this::one);
        route(HandlerType.GET, "/api/anomalies/{id}/workflow.svg", this::workflow);
        route(HandlerType.POST, "/api/anomalies/{id}/feedback", this::feedback);
        route(HandlerType.GET, "/api/anomaly-rate", this::rate);
        route(HandlerType.GET, "/api/metrics", this::metrics);
        route(HandlerType.GET, "/api/models", this::models);
        route(HandlerType.POST, "/api/models/{version}/activate", this::activate);
        route(HandlerType.GET, "/api/openapi.json", ctx -> ctx.contentType("application/json")
                .result(resource("openapi.json")));
        routes.add(new Route("get", "/api/events"));
        app.sse("/api/events", client -> {
            // each open page is served on its own request thread, which sends what push() queues for it
            Page page = new Page();
            clients.add(page);
            try {
                client.sendComment("anomalog console events");
                while (!client.terminated() && !closing) {
                    String[] ev = page.queue.poll(15, TimeUnit.SECONDS);
                    if (ev == null) {
                        client.sendComment("keep-alive");
                    } else {
                        client.sendEvent(ev[0], ev[1], ev[2]);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the page went away
            } finally {
                clients.remove(page);
            }
        });
    }

    public static Builder builder(AnomalyHistory history, ApiToken token) {
        return new Builder(history, token);
    }

    /** What the console shows and where it listens. */
    public static final class Builder {
        private final AnomalyHistory history;
        private final ApiToken token;
        private FeedbackDesk desk;
        private StreamMetrics metrics;
        private Path modelDir;
        private HostStats hosts = HostStats.none();
        private HttpAddress address = HttpAddress.parse("127.0.0.1:0");
        private long pushMillis = 250;

        private Builder(AnomalyHistory history, ApiToken token) {
            this.history = Objects.requireNonNull(history, "history");
            this.token = Objects.requireNonNull(token, "token");
        }

        /** Where verdicts go (without one, feedback is refused with 503). */
        public Builder feedback(FeedbackDesk desk) {
            this.desk = desk;
            return this;
        }

        public Builder metrics(StreamMetrics m) {
            this.metrics = m;
            return this;
        }

        /** The model directory whose versions the console lists and activates. */
        public Builder models(Path dir) {
            this.modelDir = dir;
            return this;
        }

        public Builder hosts(HostStats h) {
            this.hosts = Objects.requireNonNull(h);
            return this;
        }

        public Builder address(HttpAddress a) {
            if (a.off()) {
                throw new IllegalArgumentException("the console is off");
            }
            this.address = a;
            return this;
        }

        /** How often new anomalies are pushed to the open pages. */
        public Builder pushMillis(long ms) {
            this.pushMillis = ms;
            return this;
        }

        /** Starts listening. */
        public ConsoleServer start() {
            ConsoleServer s = new ConsoleServer(this);
            s.startServer();
            return s;
        }
    }

    private void startServer() {
        try {
            app.start(b.address.address().getHostAddress(), b.address.port());
        } catch (RuntimeException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new AnomalogException("the console cannot listen on " + b.address.urlHost() + ":" + b.address.port()
                    + ": " + c.getMessage() + " (choose another with --http ADDRESS:PORT, or --http off)");
        }
        synchronized (this) {
            seenAnomalies = b.history.size();
            seenFeedback = b.history.feedbackCount();
        }
        timer.scheduleWithFixedDelay(this::push, b.pushMillis, b.pushMillis, TimeUnit.MILLISECONDS);
        sampler.scheduleWithFixedDelay(this::sample, 0, 2, TimeUnit.SECONDS);
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    /** The console's address. */
    public String url() {
        return "http://" + b.address.urlHost() + ":" + port() + "/";
    }

    /** Every route, as the OpenAPI document must list it. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    @Override
    public void close() {
        closing = true;
        timer.shutdownNow();
        sampler.shutdownNow();
        clients.forEach(p -> p.queue.offer(new String[]{"bye", "{}", null}));
        app.stop();
    }

    // ---- security -------------------------------------------------------------------------------------------

    private static Map<String, String> securityHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Security-Policy", CSP);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cache-Control", "no-store");
        return h;
    }

    private void guard(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
        securityHeaders().forEach(ctx::header);
        if (b.address.loopback() && !loopbackHost(ctx.header("Host"))) {
            throw new ApiError(403, "this console listens on the loopback address only; the request named host '"
                    + ctx.header("Host") + "'");
        }
        HandlerType m = ctx.method();
        if (m != HandlerType.GET && m != HandlerType.HEAD) {
            String auth = ctx.header("Authorization");
            String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
            if (!b.token.matches(presented)) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new ApiError(401, presented == null ? "this request changes something and needs the console's "
                        + "token: send 'Authorization: Bearer TOKEN' (the token was printed at the first start and is "
                        + "kept in " + tokenPlace() + ")" : "wrong token");
            }
        }
    }

    private String tokenPlace() {
        return b.token.file() != null ? b.token.file().toString() : "the --http-token option";
    }

    static boolean loopbackHost(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String h = hostHeader.trim().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end < 0 ? h : h.substring(1, end);
        } else if (h.indexOf(':') >= 0 && h.indexOf(':') == h.lastIndexOf(':')) {
            h = h.substring(0, h.indexOf(':'));
        }
        return h.equals("localhost") || h.equals("::1") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    // ---- routes ---------------------------------------------------------------------------------------------

    private void route(HandlerType method, String path, Handler h) {
        routes.add(new Route(method.name().toLowerCase(java.util.Locale.ROOT), path));
        app.addHttpHandler(method, path, h);
    }

    private void list(Context ctx) throws IOException {
        only(ctx, Set.of("host", "from", "to", "verdict", "limit", "offset"));
        String host = ctx.queryParam("host");
        if (host != null && !HOST.matcher(host).matches()) {
            throw new ApiError(400, "host: letters, digits and ._- only, at most 200");
        }
        Instant from = instant(ctx, "from");
        Instant to = instant(ctx, "to");
        String verdict = ctx.queryParam("verdict");
        if (verdict != null && !Set.of("false-positive", "confirmed", "none", "any").contains(verdict)) {
            throw new ApiError(400, "verdict: one of false-positive, confirmed, none (no verdict yet), any");
        }
        int limit = integer(ctx, "limit", 50, 1, MAX_LIMIT);
        int offset = integer(ctx, "offset", 0, 0, 100_000_000);
        // the history's index answers: the page is found without a scan or a copy of the whole history
        AnomalyHistory.Page page = b.history.page(new AnomalyHistory.Query(host, from, to, verdict), offset, limit);
        List<Object> items = new ArrayList<>(page.items().size());
        for (AnomalyHistory.Entry e : page.items()) {
            items.add(summary(e.anomaly(), e.verdict()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", page.total());
        out.put("offset", offset);
        out.put("limit", limit);
        out.put("items", items);
        json(ctx, 200, out);
    }

    private void one(Context ctx) throws IOException {
        only(ctx, Set.of());
        AnomalyRecord a = anomaly(ctx.pathParam("id"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("anomaly", a);
        out.put("feedback", b.history.feedbackOn(a.id()).orElse(null));
        json(ctx, 200, out);
    }

    /**
     * The workflow picture of the model version that flagged the anomaly, its divergence marked. Served as an image
     * with a policy of its own that lets nothing run or load, whatever the SVG held.
     */
    private void workflow(Context ctx) throws IOException {
        only(ctx, Set.of());
        AnomalyRecord a = anomaly(ctx.pathParam("id"));
        String svg = AnomalyWorkflow.svg(a, registry());
        ctx.header("Content-Security-Policy", SVG_CSP);
        ctx.status(200).contentType("image/svg+xml; charset=utf-8").result(svg.getBytes(StandardCharsets.UTF_8));
    }

    private void feedback(Context ctx) throws IOException {
        only(ctx, Set.of());
        String ct = ctx.contentType();
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiError(415, "send the verdict as application/json: {\"verdict\": \"false-positive\"}");
        }
        AnomalyRecord a = anomaly(ctx.pathParam("id"));
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw new ApiError(400, "the body is not JSON");
        }
        if (body == null || !body.isObject()) {
            throw new ApiError(400, "the body must be a JSON object: {\"verdict\": \"false-positive\", \"note\": \"...\"}");
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String n = it.next();
            if (!Set.of("verdict", "note", "who").contains(n)) {
                throw new ApiError(400, "unknown field '" + n + "': the body has verdict, and optionally note and who");
            }
            if (!body.get(n).isTextual() && !body.get(n).isNull()) {
                throw new ApiError(400, "field '" + n + "' must be a string");
            }
        }
        if (!body.hasNonNull("verdict")) {
            throw new ApiError(400, "verdict is missing: false-positive or confirmed");
        }
        if (b.desk == null) {
            throw new ApiError(503, "this console takes no feedback (no feedback topic)");
        }
        var earlier = b.history.feedbackOn(a.id());
        if (earlier.isPresent()) {
            throw new ApiError(409, "anomaly " + a.id() + " was marked " + earlier.get().verdict() + " already, by "
                    + earlier.get().who() + " at " + earlier.get().at());
        }
        String who = body.hasNonNull("who") ? body.get("who").asText() : "console";
        FeedbackRecord r;
        try {
            r = b.desk.submit(a.id(), body.get("verdict").asText(), body.hasNonNull("note") ? body.get("note").asText()
                    : null, who);
        } catch (AnomalogException e) {
            throw new ApiError(e.getMessage().contains(" already") ? 409 : 400, e.getMessage());
        }
        json(ctx, 201, r);
    }

    private void rate(Context ctx) throws IOException {
        only(ctx, Set.of("minutes"));
        int minutes = integer(ctx, "minutes", 60, 1, 24 * 60);
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Instant start = end.minus(minutes, ChronoUnit.MINUTES);
        Map<String, long[]> byHost = b.history.perMinute(start, minutes); // counters kept as anomalies arrive
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < minutes; i++) {
            times.add(start.plus(i, ChronoUnit.MINUTES).getEpochSecond());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("minutes", times);
        out.put("hosts", byHost);
        json(ctx, 200, out);
    }

    private void metrics(Context ctx) throws IOException {
        only(ctx, Set.of());
        Map<String, Object> out = new LinkedHashMap<>();
        Rates r = rates;
        if (b.metrics != null) {
            StreamMetrics m = b.metrics;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("recordsIn", m.recordsIn.sum());
            d.put("recordsPerSecond", r.recordsPerSecond() < 0 ? null : r.recordsPerSecond());
            d.put("parsed", m.parsed.sum());
            d.put("sessionsClosed", m.sessionsClosed.sum());
            d.put("openSessions", m.openSessions());
            d.put("deadLetters", m.deadLetters.sum());
            d.put("anomalies", m.anomalies.sum());
            d.put("newTemplates", m.newTemplates.sum());
            // the lag walks every metric of the stream threads: read by the sampler, not by each request
            d.put("consumerLag", r.lag() != null ? r.lag() : m.lag());
            d.put("modelVersion", m.modelVersion());
            out.put("detector", d);
        }
        Map<String, Long> anomaliesByHost = b.history.countByHost();
        Map<String, Long> openByHost = b.metrics == null ? Map.of() : b.metrics.openSessionsByHost();
        Map<String, Long> deadByHost = b.metrics == null ? Map.of() : b.metrics.deadLettersByHost();
        Set<String> names = new java.util.TreeSet<>(anomaliesByHost.keySet());
        names.addAll(r.hosts().keySet());
        names.addAll(openByHost.keySet());
        names.addAll(deadByHost.keySet());
        List<Object> hosts = new ArrayList<>();
        for (String h : names) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("host", h);
            HostStats.Sample s = r.hosts().get(h);
            e.put("lines", s == null ? null : s.lines());
            e.put("linesPerSecond", r.linesPerSecond().get(h));
            e.put("lag", s == null || s.lag() < 0 ? null : s.lag());
            e.put("anomalies", anomaliesByHost.getOrDefault(h, 0L));
            // counted by this detector process: none when the console has no detector beside it
            e.put("openSessions", b.metrics == null ? null : openByHost.getOrDefault(h, 0L));
            e.put("deadLetters", b.metrics == null ? null : deadByHost.getOrDefault(h, 0L));
            hosts.add(e);
        }
        out.put("hosts", hosts);
        out.put("history", Map.of("anomalies", b.history.size(), "feedback", b.history.feedbackCount()));
        json(ctx, 200, out);
    }

    private void models(Context ctx) throws IOException {
        only(ctx, Set.of());
        ModelRegistry.State s = registry().state();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", s.active());
        out.put("versions", s.versions());
        out.put("changes", s.changes());
        json(ctx, 200, out);
    }

    private void activate(Context ctx) throws IOException {
        only(ctx, Set.of());
        String v = ctx.pathParam("version");
        if (!VERSION.matcher(v).matches()) {
            throw new ApiError(400, "a version is v1, v2, ...; not '" + v + "'");
        }
        ModelRegistry r = registry();
        if (r.state().versions().stream().noneMatch(x -> x.name().equals(v))) {
            throw new ApiError(404, "the model has no version " + v);
        }
        r.activate(v, "console");
        ModelRegistry.State s = r.state();
        json(ctx, 200, Map.of("active", s.active()));
    }

    // ---- events ---------------------------------------------------------------------------------------------

    /** Sends the anomalies and verdicts that came since the last push to every open page. */
    private void push() {
        try {
            List<AnomalyHistory.Entry> fresh = List.of();
            List<FeedbackRecord> verdicts = List.of();
            synchronized (this) {
                if (b.history.size() != seenAnomalies) {
                    fresh = b.history.since(seenAnomalies); // only the new ones, not a copy of the history
                    seenAnomalies += fresh.size();
                }
                int fn = b.history.feedbackCount();
                if (fn != seenFeedback) {
                    List<FeedbackRecord> all = b.history.feedback();
                    verdicts = all.subList(Math.min(seenFeedback, all.size()), all.size());
                    seenFeedback = all.size();
                }
            }
            List<String[]> events = new ArrayList<>();
            for (AnomalyHistory.Entry e : fresh) {
                events.add(new String[]{"anomaly", Json.MAPPER.writeValueAsString(summary(e.anomaly(), e.verdict())),
                        e.anomaly().id()});
            }
            for (FeedbackRecord f : verdicts) {
                events.add(new String[]{"feedback", Json.MAPPER.writeValueAsString(Map.of("anomalyId", f.anomalyId(),
                        "verdict", f.verdict().text())), null});
            }
            for (Page p : clients) {
                events.forEach(p.queue::offer); // a page that reads nothing loses events, not the server its memory
            }
        } catch (IOException | RuntimeException e) {
            // keep pushing: one bad record must not stop the live list
        }
    }

    private void sample() {
        try {
            Map<String, HostStats.Sample> hosts = b.hosts.sample();
            long now = System.nanoTime();
            double dt = (now - lastSampleNanos) / 1e9;
            Map<String, Double> lps = new TreeMap<>();
            double rps = -1;
            if (lastSampleNanos != 0 && dt > 0) {
                for (var e : hosts.entrySet()) {
                    HostStats.Sample before = lastHosts.get(e.getKey());
                    if (before != null) {
                        lps.put(e.getKey(), Math.max(0, e.getValue().lines() - before.lines()) / dt);
                    }
                }
                if (b.metrics != null && lastRecordsIn >= 0) {
                    rps = Math.max(0, b.metrics.recordsIn.sum() - lastRecordsIn) / dt;
                }
            }
            lastHosts = hosts;
            lastSampleNanos = now;
            lastRecordsIn = b.metrics != null ? b.metrics.recordsIn.sum() : -1;
            rates = new Rates(hosts, lps, rps, b.metrics != null ? b.metrics.lag() : null);
        } catch (RuntimeException e) {
            // figures are left as they were until the next sample
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static Map<String, Object> summary(AnomalyRecord a, FeedbackVerdict verdict) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("host", a.host());
        m.put("sessionId", a.sessionId());
        m.put("method", a.method());
        m.put("score", a.score());
        m.put("summary", a.summary());
        m.put("lines", a.lines() == null ? 0 : a.lines().size());
        m.put("modelVersion", a.modelVersion());
        m.put("firstLineTime", a.firstLineTime());
        m.put("closedAt", a.closedAt());
        m.put("detectedAt", a.detectedAt());
        m.put("verdict", verdict == null ? null : verdict.text());
        return m;
    }

    private AnomalyRecord anomaly(String id) {
        if (!ANOMALY_ID.matcher(id).matches()) {
            throw new ApiError(400, "an anomaly id is 'a' and 16 hex digits, not '" + clip(id) + "'");
        }
        return b.history.anomaly(id).orElseThrow(() -> new ApiError(404, "no anomaly with id " + id + " ("
                + b.history.size() + " known)"));
    }

    private ModelRegistry registry() {
        if (b.modelDir == null) {
            throw new ApiError(404, "this console was started without a model directory");
        }
        return ModelRegistry.of(b.modelDir);
    }

    private static void only(Context ctx, Set<String> allowed) {
        for (String k : ctx.queryParamMap().keySet()) {
            if (!allowed.contains(k)) {
                throw new ApiError(400, "unknown query parameter '" + clip(k) + "'" + (allowed.isEmpty() ? ""
                        : ": this route takes " + String.join(", ", new java.util.TreeSet<>(allowed))));
            }
        }
    }

    private static Instant instant(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new ApiError(400, name + ": an ISO-8601 instant such as 2026-01-31T12:00:00Z, not '" + clip(v) + "'");
        }
    }

    private static int integer(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiError(400, name + ": a whole number from " + min + " to " + max + ", not '" + clip(v) + "'");
        }
    }

    static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static void json(Context ctx, int status, Object body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        Long t0 = ctx.attribute(STARTED);
        if (t0 != null) {
            // the time spent in the handler and serialisation (Server-Timing), apart from queueing and the network:
            // what a client can set against its own time for a request to find where the time went
            ctx.header("Server-Timing", String.format(java.util.Locale.ROOT, "app;dur=%.2f",
                    (System.nanoTime() - t0) / 1e6));
        }
        ctx.status(status).contentType("application/json").result(bytes);
    }

    private static void error(Context ctx, int status, String message) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("error", message);
        ctx.status(status).contentType("application/json").result(n.toString());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConsoleServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A refusal with its HTTP status. */
    static final class ApiError extends RuntimeException {
        final int status;

        ApiError(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
