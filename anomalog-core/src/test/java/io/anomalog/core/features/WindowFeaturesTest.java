package io.anomalog.core.features;

import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.log.JsonFormat;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
                List.of());
        double[] first = series.get(0).windows().get(0).vector(onlyOk);
        assertEquals(2, at(onlyOk, first, "entries"), "10:00:01 and 10:00:20");
        assertEquals(1, at(onlyOk, first, "status_200"));
        assertEquals(1, at(onlyOk, first, "status_other"));
        assertEquals(2, at(onlyOk, first, "template_other"));
    }

    @Test
    void isoTimestampsReadWithoutAFormatterGiveTheInstantsTheTimeReaderGives() {
        WindowFeatures.Accumulator acc = WindowFeatures.accumulator(WindowFeatures.DEFAULT_WIDTH,
                WindowFeatures.Fields.DEFAULT);
        for (String t : List.of("2024-03-07T10:00:01.000Z", "2024-03-07T10:00:59.999Z", "2024-03-07T10:01:00.007Z",
                "2024-12-31T23:59:59.123Z", "2024-02-29T00:00:00.000Z")) {
            assertEquals(java.time.Instant.parse(t).toEpochMilli(), acc.fastIso(t), t);
        }
        for (String t : List.of("2024-03-07 10:00:01.000Z", "2024-03-07T10:00:01Z", "2024-03-07T10:00:1x.000Z",
                "2024-13-07T10:00:01.000Z")) {
            assertEquals(Long.MIN_VALUE, acc.fastIso(t), t + " is left to the time reader");
        }
    }

    @Test
    void aSchemaOfAnotherFormatVersionOrANonPositiveWidthIsRefused() {
        AnomalogException e = assertThrows(AnomalogException.class,
                () -> new WindowFeatures.Schema(99, 60_000, List.of(), List.of()));
        assertTrue(e.getMessage().contains("format version 99"), e.getMessage());
        assertThrows(AnomalogException.class, () -> WindowFeatures.accumulator(Duration.ZERO,
                WindowFeatures.Fields.DEFAULT));
    }
}
