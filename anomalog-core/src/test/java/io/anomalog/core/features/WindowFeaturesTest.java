package io.anomalog.core.features;

import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.log.JsonFormat;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowFeaturesTest {

    static final String[] LINES = {
        "{\"timestamp\":\"2024-03-07T10:00:01.000Z\",\"level\":\"INFO\",\"service\":\"auth\",\"host\":\"auth-1\","
                + "\"user\":\"ann\",\"client_ip\":\"10.0.0.1\",\"latency_ms\":10,\"status\":200,"
                + "\"message\":\"user ann logged in from 10.0.0.1\"}",
        "{\"timestamp\":\"2024-03-07T10:00:20.000Z\",\"level\":\"WARN\",\"service\":\"auth\",\"host\":\"auth-1\","
                + "\"user\":\"bob\",\"client_ip\":\"10.0.0.9\",\"latency_ms\":30.5,\"status\":401,"
                + "\"message\":\"login failed for bob from 10.0.0.9: invalid password\"}",
        "{\"timestamp\":\"2024-03-07T10:00:40.000Z\",\"level\":\"WARN\",\"service\":\"auth\",\"host\":\"auth-1\","
                + "\"user\":\"root\",\"client_ip\":\"10.0.0.9\",\"latency_ms\":50,\"status\":401,"
                + "\"message\":\"login failed for bob from 10.0.0.9: invalid password\"}",
        "{\"timestamp\":\"2024-03-07T10:00:50.000Z\",\"level\":\"ERROR\",\"service\":\"auth\",\"host\":\"auth-1\","
                + "\"user\":\"cy\",\"client_ip\":\"10.0.0.3\",\"latency_ms\":2000,\"status\":500,"
                + "\"message\":\"unhandled NullPointerException in LoginController.authenticate\"}",
        // nothing from auth-1 at 10:01; one entry at 10:02
        "{\"timestamp\":\"2024-03-07T10:02:05.000Z\",\"level\":\"INFO\",\"service\":\"auth\",\"host\":\"auth-1\","
                + "\"message\":\"health check ok: 3 requests in flight, heap 40%\"}",
        "{\"timestamp\":\"2024-03-07T10:00:30.000Z\",\"level\":\"INFO\",\"service\":\"db\",\"host\":\"db-1\","
                + "\"latency_ms\":3,\"message\":\"SELECT orders took 3 ms, 1 rows\"}",
    };

    static List<ParsedEvent> events() {
        IngestPipeline p = IngestPipeline.builder(JsonFormat.filebeat()).build();
        List<ParsedEvent> out = new ArrayList<>();
        for (int i = 0; i < LINES.length; i++) {
            out.add(p.line(LINES[i], "t", i + 1, -1));
        }
        out = p.resolved(out);
        return out;
    }

    static double at(WindowFeatures.Schema schema, double[] v, String name) {
        int i = schema.names().indexOf(name);
        assertTrue(i >= 0, name + " in " + schema.names());
        return v[i];
    }

    @Test
    void aMinuteOfJsonEventsThroughTheIngestPipelineGivesCountsRatesLatenciesAndDistinctValues() {
        List<ParsedEvent> events = events();
        WindowFeatures.Accumulator acc = WindowFeatures.accumulator(WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT);
        events.forEach(acc::add);
        List<WindowFeatures.Series> series = acc.finish();
        assertEquals(List.of("auth@auth-1", "db@db-1"), series.stream().map(WindowFeatures.Series::name).toList());
        WindowFeatures.Schema schema = WindowFeatures.Schema.fit(series, acc.width());
        assertEquals(List.of(200, 401, 500), schema.statuses());
        WindowFeatures.Schema frequent = WindowFeatures.Schema.fit(series, acc.width(), Long.MAX_VALUE, 0.5);
        assertEquals(List.of(), frequent.statuses(), "each status is in 1 of the 6 windows");
        assertEquals(List.of(), frequent.templates());
        assertEquals(schema.width(), schema.names().size());
        double[][] auth = series.get(0).vectors(schema);
        assertEquals(3, auth.length, "10:00, the empty 10:01, and 10:02");
        double[] v = auth[0];
        assertEquals(4, at(schema, v, "entries"));
        assertEquals(1, at(schema, v, "level_info"));
        assertEquals(2, at(schema, v, "level_warn"));
        assertEquals(1, at(schema, v, "level_error"));
        assertEquals(0.25, at(schema, v, "error_rate"), 1e-12);
        assertEquals(2, at(schema, v, "status_401"));
        assertEquals(1, at(schema, v, "status_500"));
        assertEquals((10 + 30.5 + 50 + 2000) / 4, at(schema, v, "latency_mean"), 1e-9);
        assertEquals(2000, at(schema, v, "latency_p95"));
        assertEquals(2000, at(schema, v, "latency_max"));
        assertEquals(4, at(schema, v, "distinct_users"));
        assertEquals(3, at(schema, v, "distinct_addresses"));
        assertEquals(2, at(schema, v, "address_max_entries"));
        // the two failed logins share a template
        int failed = events.get(1).templateId();
        assertEquals(failed, events.get(2).templateId());
        assertEquals(2, at(schema, v, "template_" + failed));
        assertEquals(0, at(schema, auth[1], "entries"), "a minute without entries is a window of zeros");
        assertEquals(0, at(schema, auth[1], "latency_max"));
        assertEquals(1, at(schema, auth[2], "entries"));
        assertEquals(3, series.get(1).vectors(schema).length, "every series spans the same windows");
        assertArrayEquals(new int[]{events.get(0).templateId(), failed, failed, events.get(3).templateId()},
                series.get(0).windows().get(0).keys());
    }

    @Test
    void theWidthIsConfigurableAndColumnsOutsideTheSchemaCountAsOther() {
        WindowFeatures.Accumulator acc = WindowFeatures.accumulator(Duration.ofSeconds(30),
                WindowFeatures.Fields.DEFAULT);
        events().forEach(acc::add);
        List<WindowFeatures.Series> series = acc.finish();
        assertEquals(5, series.get(0).windows().size(), "10:00:00 to 10:02:00 in steps of 30 s");
        WindowFeatures.Schema onlyOk = new WindowFeatures.Schema(WindowFeatures.SCHEMA_VERSION, 30_000, List.of(200),
                List.of(), java.util.Map.of(), java.util.Map.of());
        double[] first = series.get(0).windows().get(0).vector(onlyOk);
        assertEquals(2, at(onlyOk, first, "entries"), "10:00:01 and 10:00:20");
        assertEquals(1, at(onlyOk, first, "status_200"));
        assertEquals(1, at(onlyOk, first, "status_other"));
        assertEquals(2, at(onlyOk, first, "template_other"));
    }

    @Test
    void aBusyWindowCountsEveryDistinctUserAndAddressAndItsBusiestAddressAcrossManyStatusesAndTemplates() {
        WindowFeatures.Accumulator acc = WindowFeatures.accumulator(WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT);
        java.util.Map<String, Integer> perAddress = new java.util.HashMap<>();
        java.util.Set<String> users = new java.util.HashSet<>();
        java.util.Random random = new java.util.Random(7);
        for (int k = 0; k < 5000; k++) {
            String user = "user-" + random.nextInt(3000);
            String address = k % 3 == 0 ? "10.0.0.1" : "10.1." + random.nextInt(40) + "." + random.nextInt(40);
            users.add(user);
            perAddress.merge(address, 1, Integer::sum);
            acc.add("gateway", "g-1", k, "INFO", 200 + k % 9, 5, user, address, null, k % 23);
        }
        List<WindowFeatures.Series> series = acc.finish();
        WindowFeatures.Schema schema = WindowFeatures.Schema.fit(series, acc.width());
        double[] v = series.get(0).vectors(schema)[0];
        assertEquals(users.size(), at(schema, v, "distinct_users"));
        assertEquals(perAddress.size(), at(schema, v, "distinct_addresses"));
        assertEquals(perAddress.values().stream().mapToInt(Integer::intValue).max().orElseThrow(),
                at(schema, v, "address_max_entries"));
        assertEquals(9, schema.statuses().size());
        assertEquals(23, schema.templates().size());
        assertEquals(5000 / 9 + (5000 % 9 > 4 ? 1 : 0), at(schema, v, "status_204"));
    }

    @Test
    void fittingWithTheSequencesGivesTheModelAndRowsThatFittingThenSequencingGive() {
        WindowFeatures.Accumulator acc = WindowFeatures.accumulator(WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT);
        java.util.Random random = new java.util.Random(3);
        for (int m = 0; m < 40; m++) {
            for (int k = 0; k < 5 + random.nextInt(10); k++) {
                acc.add(m % 7 == 0 ? "auth" : "orders", "h-" + (m % 2), m * 60_000L + k * 1000L,
                        k % 5 == 0 ? "ERROR" : "INFO", 200 + 100 * (k % 4), 5 + random.nextDouble() * 50,
                        "u" + random.nextInt(9), "10.0.0." + random.nextInt(5), "op" + k % 3, k % 4);
            }
        }
        List<WindowFeatures.Series> series = acc.finish();
        long until = 25 * 60_000L;
        java.util.function.BiPredicate<WindowFeatures.Series, WindowFeatures.Window> normal =
                (x, w) -> w.start() != 3 * 60_000L;
        java.util.function.Function<String, Label> labels = id -> id.contains("orders") ? Label.NORMAL
                : Label.ANOMALOUS;
        WindowFeatureModel model = WindowFeatureModel.fit(series, WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT, 3, until, normal);
        List<Sequence> expected = model.sequences(series, labels);
        WindowFeatureModel.Fitted fitted = WindowFeatureModel.fitSequences(series, WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT, 3, until, normal, labels);
        assertEquals(model.names(), fitted.model().names());
        for (WindowFeatures.Series x : series) {
            assertArrayEquals(model.scaler(x.name()).mean(), fitted.model().scaler(x.name()).mean(), 0);
            assertArrayEquals(model.scaler(x.name()).std(), fitted.model().scaler(x.name()).std(), 0);
        }
        assertEquals(expected.size(), fitted.sequences().size());
        for (int i = 0; i < expected.size(); i++) {
            Sequence a = expected.get(i);
            Sequence b = fitted.sequences().get(i);
            assertEquals(a.id(), b.id());
            assertEquals(a.label(), b.label());
            assertArrayEquals(a.keys(), b.keys());
            double[][] ra = a.features().rows();
            double[][] rb = b.features().rows();
            assertEquals(ra.length, rb.length);
            for (int r = 0; r < ra.length; r++) {
                assertArrayEquals(ra[r], rb[r], 0, a.id() + " row " + r);
            }
        }
    }

    @Test
    void isoTimestampsReadWithoutAFormatterGiveTheInstantsTheTimeReaderGives() {
        WindowFeatures.Accumulator acc = WindowFeatures.accumulator(WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT);
        for (String t : List.of("2024-03-07T10:00:01.000Z", "2024-03-07T10:00:59.999Z", "2024-03-07T10:01:00.007Z",
                "2024-12-31T23:59:59.123Z", "2024-02-29T00:00:00.000Z", "1969-12-31T23:59:59.999Z",
                "2000-03-01T00:00:00.000Z", "2100-02-28T12:34:56.789Z")) {
            assertEquals(java.time.Instant.parse(t).toEpochMilli(), acc.fastIso(t), t);
        }
        for (String t : List.of("2024-03-07 10:00:01.000Z", "2024-03-07T10:00:01Z", "2024-03-07T10:00:1x.000Z",
                "2024-13-07T10:00:01.000Z", "2023-02-29T10:00:01.000Z", "2024-03-07T24:00:01.000Z",
                "2024-03-07T10:60:01.000Z", "2024/03/07T10:00:01.000Z")) {
            assertEquals(Long.MIN_VALUE, acc.fastIso(t), t + " is left to the time reader");
        }
    }

    @Test
    void aCheapOperationSlowedDownStandsOutAgainstItsOwnUsualTimeThoughTheWindowsMeanStaysUsual() {
        // two operations of one service: a cheap one (template 1, about 10 ms) and a dear one (template 2, about
        // 200 ms), in a mix that changes from minute to minute; in the last minute the cheap one takes 3 times
        // as long, while the mix leans to it
        java.util.Random rnd = new java.util.Random(7);
        WindowFeatures.Accumulator acc = WindowFeatures.accumulator(WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT);
        int minutes = 60;
        for (int m = 0; m <= minutes; m++) {
            boolean slow = m == minutes;
            int cheap = slow ? 18 : 5 + rnd.nextInt(14);
            for (int k = 0; k < 20; k++) {
                boolean isCheap = k < cheap;
                double ms = (isCheap ? 10 : 200) * Math.exp(0.3 * rnd.nextGaussian()) * (slow && isCheap ? 3 : 1);
                acc.add("orders", "o-1", m * 60_000L + k * 1000L, "INFO", 200, ms, null, null, null, isCheap ? 1 : 2);
            }
        }
        List<WindowFeatures.Series> series = acc.finish();
        WindowFeatures.Schema schema = WindowFeatures.Schema.fit(series, WindowFeatures.DEFAULT_WIDTH,
                minutes * 60_000L);
        assertEquals(java.util.Set.of(1, 2), schema.latencyNorms().keySet());
        assertEquals(Math.log1p(10), schema.latencyNorms().get(1).center(), 0.05);
        assertEquals(0.3, schema.latencyNorms().get(1).scale(), 0.05, "the spread of ln(ms)");
        double[][] v = series.get(0).vectors(schema);
        double[] mean = new double[minutes];
        double[] z = new double[minutes];
        for (int m = 0; m < minutes; m++) {
            mean[m] = at(schema, v[m], "latency_mean");
            z[m] = at(schema, v[m], "latency_z_shift");
        }
        double[] last = v[minutes];
        assertTrue(at(schema, last, "latency_mean") < java.util.Arrays.stream(mean).max().orElseThrow(),
                "the plain mean of the slow minute is within what the mix gives");
        assertTrue(at(schema, last, "latency_z_shift") > 2 * java.util.Arrays.stream(z).max().orElseThrow(),
                "against each operation's usual time it stands out: " + at(schema, last, "latency_z_shift")
                        + " against at most " + java.util.Arrays.stream(z).max().orElseThrow());
        assertTrue(at(schema, last, "latency_z_max") >= at(schema, last, "latency_z_p95"));
    }

    @Test
    void oneTemplateServingTwoOperationsJudgesEachResponseTimeAgainstItsOwnOperation() {
        // one template ("GET <*> ms") for a cheap operation (about 10 ms) and a dear one (about 200 ms): the
        // template's norm spans both, so a cheap operation slowed down three times looks usual against it; each
        // operation's own norm shows it. The same entries go to a second accumulator without their operations.
        java.util.Random rnd = new java.util.Random(11);
        WindowFeatures.Accumulator named = WindowFeatures.accumulator(WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT);
        WindowFeatures.Accumulator unnamed = WindowFeatures.accumulator(WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT);
        int minutes = 60;
        for (int m = 0; m <= minutes; m++) {
            boolean slow = m == minutes;
            for (int k = 0; k < 20; k++) {
                boolean isCheap = k % 2 == 0;
                double ms = (isCheap ? 10 : 200) * Math.exp(0.3 * rnd.nextGaussian()) * (slow && isCheap ? 3 : 1);
                long t = m * 60_000L + k * 1000L;
                named.add("gateway", "g-1", t, "INFO", 200, ms, null, null, isCheap ? "GET /catalog" : "GET /report", 1);
                unnamed.add("gateway", "g-1", t, "INFO", 200, ms, null, null, null, 1);
            }
        }
        // and one with too few response times of its own for a norm: judged against the template's
        named.add("gateway", "g-1", minutes * 60_000L + 30_000L, "INFO", 200, 10, null, null, "GET /rare", 1);
        unnamed.add("gateway", "g-1", minutes * 60_000L + 30_000L, "INFO", 200, 10, null, null, null, 1);
        List<WindowFeatures.Series> series = named.finish();
        WindowFeatures.Schema schema = WindowFeatures.Schema.fit(series, WindowFeatures.DEFAULT_WIDTH,
                minutes * 60_000L);
        assertEquals(java.util.Set.of("GET /catalog", "GET /report"), schema.operationNorms().get(1).keySet());
        assertEquals(Math.log1p(10), schema.operationNorms().get(1).get("GET /catalog").center(), 0.05);
        assertEquals(0.3, schema.operationNorms().get(1).get("GET /catalog").scale(), 0.05);
        assertTrue(schema.latencyNorms().get(1).scale() > 1, "the template's norm spans both operations: "
                + schema.latencyNorms().get(1));
        assertEquals(schema.latencyNorms().get(1), schema.normOf(1, "GET /rare"));
        assertEquals(schema.latencyNorms().get(1), schema.normOf(1, null));
        double[] withOperations = slowMinuteAndUsualMaximum(series, schema, minutes);
        assertTrue(withOperations[0] > 1.5 && withOperations[0] > 3 * withOperations[1],
                withOperations[0] + " against at most " + withOperations[1]);
        List<WindowFeatures.Series> without = unnamed.finish();
        WindowFeatures.Schema templateOnly = WindowFeatures.Schema.fit(without, WindowFeatures.DEFAULT_WIDTH,
                minutes * 60_000L);
        assertTrue(templateOnly.operationNorms().isEmpty());
        double[] templateNorm = slowMinuteAndUsualMaximum(without, templateOnly, minutes);
        assertTrue(templateNorm[0] - templateNorm[1] < (withOperations[0] - withOperations[1]) / 3,
                "against the template's norm the slow minute stands out far less: " + templateNorm[0]
                        + " against at most " + templateNorm[1]);
    }

    /** The last minute's latency_z_shift and the largest of the minutes before it. */
    private static double[] slowMinuteAndUsualMaximum(List<WindowFeatures.Series> series, WindowFeatures.Schema schema,
                                                      int minutes) {
        double[][] v = series.get(0).vectors(schema);
        double usual = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < minutes; m++) {
            usual = Math.max(usual, at(schema, v[m], "latency_z_shift"));
        }
        return new double[]{at(schema, v[minutes], "latency_z_shift"), usual};
    }

    @Test
    void aSchemasNormsIterateInKeyOrderSoTheSameTrainingWritesTheSameFile() {
        Map<Integer, WindowFeatures.LatencyNorm> norms = new java.util.HashMap<>();
        Map<String, WindowFeatures.LatencyNorm> ops = new java.util.HashMap<>();
        for (int t = 40; t > 0; t--) {
            norms.put(t * 37 % 101, new WindowFeatures.LatencyNorm(t, 0.3, 50));
            ops.put("GET /op" + t, new WindowFeatures.LatencyNorm(t, 0.3, 50));
        }
        WindowFeatures.Schema schema = new WindowFeatures.Schema(WindowFeatures.SCHEMA_VERSION, 60_000, List.of(),
                List.of(), norms, Map.of(5, ops, 2, ops));
        assertEquals(new ArrayList<>(new java.util.TreeSet<>(norms.keySet())),
                new ArrayList<>(schema.latencyNorms().keySet()));
        assertEquals(List.of(2, 5), new ArrayList<>(schema.operationNorms().keySet()));
        assertEquals(new ArrayList<>(new java.util.TreeSet<>(ops.keySet())),
                new ArrayList<>(schema.operationNorms().get(5).keySet()));
        assertEquals(ops.get("GET /op7"), schema.normOf(5, "GET /op7"));
    }

    @Test
    void theOperationIsReadFromTheNamedFieldsAndNotAtAllWithoutNames() {
        Map<String, Object> entry = Map.of("endpoint", "GET /catalog");
        assertEquals("GET /catalog", WindowFeatures.Fields.DEFAULT.operationOf(entry));
        WindowFeatures.Fields none = new WindowFeatures.Fields(WindowFeatures.Fields.DEFAULT.latency(),
                WindowFeatures.Fields.DEFAULT.status(), WindowFeatures.Fields.DEFAULT.user(),
                WindowFeatures.Fields.DEFAULT.address(), null);
        assertEquals(List.of(), none.operation(), "a model saved before the field existed reads none");
        assertEquals(null, none.operationOf(entry));
    }

    @Test
    void theNormsMedianBySelectionIsTheMedianOfTheSortedValuesForOddEvenAndTiedInputs() {
        java.util.Random rnd = new java.util.Random(3);
        for (int round = 0; round < 200; round++) {
            int n = 1 + rnd.nextInt(60);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = round % 3 == 0 ? rnd.nextInt(4) : rnd.nextGaussian();
            }
            double[] sorted = v.clone();
            java.util.Arrays.sort(sorted);
            double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            assertEquals(expected, WindowFeatures.LatencyNorm.median(v.clone()), 0.0, java.util.Arrays.toString(v));
        }
    }

    @Test
    void aSchemaOfVersionTwoReadsAsOneWithoutOperationNorms() {
        WindowFeatures.Schema v2 = new WindowFeatures.Schema(2, 60_000, List.of(), List.of(1),
                java.util.Map.of(1, new WindowFeatures.LatencyNorm(2, 0.3, 50)), null);
        assertTrue(v2.operationNorms().isEmpty());
        assertEquals(v2.latencyNorms().get(1), v2.normOf(1, "GET /catalog"));
    }

    @Test
    void oneQueryAHundredTimesSlowerMovesTheMinutesShiftNoMoreThanTheClipAllows() {
        // sixty minutes of twenty response times about 10 ms; in the last one a single time is 1,000 ms
        java.util.Random rnd = new java.util.Random(5);
        WindowFeatures.Accumulator acc = WindowFeatures.accumulator(WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT);
        int minutes = 60;
        for (int m = 0; m <= minutes; m++) {
            for (int k = 0; k < 20; k++) {
                double ms = m == minutes && k == 0 ? 1000 : 10 * Math.exp(0.3 * rnd.nextGaussian());
                acc.add("db", "db-1", m * 60_000L + k * 1000L, "INFO", 200, ms, null, null, null, 1);
            }
        }
        List<WindowFeatures.Series> series = acc.finish();
        WindowFeatures.Schema schema = WindowFeatures.Schema.fit(series, WindowFeatures.DEFAULT_WIDTH,
                minutes * 60_000L);
        WindowFeatures.LatencyNorm norm = schema.latencyNorms().get(1);
        double[] last = series.get(0).windows().get(minutes).vector(schema);
        assertTrue(norm.deviations(1000) > 3 * WindowFeatures.LATENCY_Z_CLIP, "the slow query's deviation: "
                + norm.deviations(1000));
        assertEquals(norm.deviations(1000), at(schema, last, "latency_z_max"), 1e-9, "the maximum is not clipped");
        assertEquals(20, at(schema, last, "entries"));
        // the winsorised mean: the other nineteen as they are, the slow one as LATENCY_Z_CLIP; a version 4 schema
        // keeps it as latency_z_mean, version 5 multiplies it by sqrt(20) as latency_z_shift
        WindowFeatures.Schema v4 = new WindowFeatures.Schema(4, schema.widthMillis(), schema.statuses(),
                schema.templates(), schema.latencyNorms(), schema.operationNorms());
        double clippedMean = at(v4, series.get(0).windows().get(minutes).vector(v4), "latency_z_mean");
        assertEquals(clippedMean * Math.sqrt(20), at(schema, last, "latency_z_shift"), 1e-9);
        assertFalse(v4.names().contains("latency_z_shift"));
        assertFalse(schema.names().contains("latency_z_mean"));
        WindowFeatures.Schema v3 = new WindowFeatures.Schema(3, schema.widthMillis(), schema.statuses(),
                schema.templates(), schema.latencyNorms(), schema.operationNorms());
        double plainMean = at(v3, series.get(0).windows().get(minutes).vector(v3), "latency_z_mean");
        assertEquals((norm.deviations(1000) - WindowFeatures.LATENCY_Z_CLIP) / 20, plainMean - clippedMean, 1e-9,
                "a version 3 schema, trained before the clip, keeps the plain mean");
        assertTrue(clippedMean < 1, "one slow query among twenty does not make the minute slow: " + clippedMean);
    }

    @Test
    void aTemplateWithTooFewResponseTimesInTrainingGetsNoNormAndItsTimesAreNotJudged() {
        WindowFeatures.Accumulator acc = WindowFeatures.accumulator(WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT);
        for (int k = 0; k < WindowFeatures.MIN_NORM_LATENCIES - 1; k++) {
            acc.add("auth", "a-1", k * 1000L, "INFO", 200, 20, null, null, null, 5);
        }
        acc.add("auth", "a-1", 120_000L, "INFO", 200, 5000, null, null, null, 5);
        List<WindowFeatures.Series> series = acc.finish();
        WindowFeatures.Schema schema = WindowFeatures.Schema.fit(series, WindowFeatures.DEFAULT_WIDTH, 120_000L);
        assertTrue(schema.latencyNorms().isEmpty(), schema.latencyNorms().toString());
        double[] last = series.get(0).windows().get(2).vector(schema);
        assertEquals(5000, at(schema, last, "latency_max"));
        assertEquals(0, at(schema, last, "latency_z_max"));
    }

    @Test
    void aSavedFeatureModelWithAnOlderSchemaOrFormatAsksToTrainAgain(@org.junit.jupiter.api.io.TempDir
                                                                       java.nio.file.Path dir) throws Exception {
        WindowFeatures.Accumulator acc = WindowFeatures.accumulator(WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT);
        events().forEach(acc::add);
        WindowFeatureModel model = WindowFeatureModel.fit(acc.finish(), WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT, 2);
        model.save(dir);
        assertEquals(model.names(), WindowFeatureModel.readIfPresent(dir).names());
        java.nio.file.Path file = dir.resolve(WindowFeatureModel.FILE);
        String json = java.nio.file.Files.readString(file);
        String schema = "\"version\" : " + WindowFeatures.SCHEMA_VERSION;
        assertTrue(json.contains(schema), json.substring(0, Math.min(300, json.length())));
        // a model trained before the response-time norms existed
        java.nio.file.Files.writeString(file, json.replace(schema, "\"version\" : 1"));
        AnomalogException old = assertThrows(AnomalogException.class, () -> WindowFeatureModel.readIfPresent(dir));
        assertTrue(old.getMessage().contains("format version 1") && old.getMessage().contains("train the model again"),
                old.getMessage());
        String format = "\"format\" : " + WindowFeatureModel.FORMAT;
        assertTrue(json.contains(format));
        java.nio.file.Files.writeString(file, json.replace(format, "\"format\" : 9"));
        AnomalogException other = assertThrows(AnomalogException.class, () -> WindowFeatureModel.readIfPresent(dir));
        assertTrue(other.getMessage().contains("format 9") && other.getMessage().contains("train the model again"),
                other.getMessage());
    }

    @Test
    void aSchemaOfAnotherFormatVersionOrANonPositiveWidthIsRefused() {
        AnomalogException e = assertThrows(AnomalogException.class,
                () -> new WindowFeatures.Schema(99, 60_000, List.of(), List.of(), java.util.Map.of(), null));
        assertTrue(e.getMessage().contains("format version 99"), e.getMessage());
        assertThrows(AnomalogException.class, () -> WindowFeatures.accumulator(Duration.ZERO,
                WindowFeatures.Fields.DEFAULT));
    }

    @Test
    void theShiftSpreadsAboutAsMuchInQuietMinutesAsInBusyOnesWhereTheMeanDeviationDoesNot() {
        // two hundred normal minutes, alternately of 4 and of 49 response times about 10 ms; then a busy minute
        // whose every request is a little slower (one norm deviation), less than a quiet minute's mean swings
        java.util.Random rnd = new java.util.Random(3);
        WindowFeatures.Accumulator acc = WindowFeatures.accumulator(WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT);
        int minutes = 200;
        for (int m = 0; m <= minutes; m++) {
            int n = m % 2 == 0 && m < minutes ? 4 : 49;
            for (int k = 0; k < n; k++) {
                double ms = 10 * Math.exp(0.3 * rnd.nextGaussian() + (m == minutes ? 0.3 : 0));
                acc.add("db", "db-1", m * 60_000L + k * 1000L, "INFO", 200, ms, null, null, null, 1);
            }
        }
        List<WindowFeatures.Series> series = acc.finish();
        WindowFeatures.Schema schema = WindowFeatures.Schema.fit(series, WindowFeatures.DEFAULT_WIDTH,
                minutes * 60_000L);
        WindowFeatures.Schema v4 = new WindowFeatures.Schema(4, schema.widthMillis(), schema.statuses(),
                schema.templates(), schema.latencyNorms(), schema.operationNorms());
        double[][] v = series.get(0).vectors(schema);
        double[][] old = series.get(0).vectors(v4);
        double[][] shift = new double[2][minutes / 2];
        double[][] mean = new double[2][minutes / 2];
        for (int m = 0; m < minutes; m++) {
            shift[m % 2][m / 2] = at(schema, v[m], "latency_z_shift");
            mean[m % 2][m / 2] = at(v4, old[m], "latency_z_mean");
        }
        double shiftRatio = std(shift[0]) / std(shift[1]);
        double meanRatio = std(mean[0]) / std(mean[1]);
        assertTrue(shiftRatio > 0.7 && shiftRatio < 1.4, "quiet against busy spread of the shift: " + shiftRatio);
        assertTrue(meanRatio > 2.5, "quiet against busy spread of the mean: " + meanRatio);
        // the slow busy minute: above every normal minute's shift, while its mean is within the quiet minutes'
        double slowShift = at(schema, v[minutes], "latency_z_shift");
        double slowMean = at(v4, old[minutes], "latency_z_mean");
        assertTrue(slowShift > java.util.Arrays.stream(shift[0]).max().orElseThrow()
                && slowShift > java.util.Arrays.stream(shift[1]).max().orElseThrow(), "slow minute's shift " + slowShift);
        assertTrue(slowMean < java.util.Arrays.stream(mean[0]).max().orElseThrow(), "slow minute's mean " + slowMean
                + " against the quiet minutes' largest " + java.util.Arrays.stream(mean[0]).max().orElseThrow());
    }

    private static double std(double[] x) {
        double mean = java.util.Arrays.stream(x).average().orElseThrow();
        double sq = 0;
        for (double v : x) {
            sq += (v - mean) * (v - mean);
        }
        return Math.sqrt(sq / (x.length - 1));
    }
}
