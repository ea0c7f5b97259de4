package io.anomalog.stream.metrics;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsServerTest {

    @Test
    void servesTheCountersOnTheAddressItWasGiven() throws Exception {
        StreamMetrics m = new StreamMetrics();
        m.recordsIn.add(7);
        m.deadLetters.increment();
        // every interface, as for a Prometheus server on another machine; reached here through loopback
        try (MetricsServer server = new MetricsServer(m, InetAddress.getByName("0.0.0.0"), 0)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("anomalog_records_in_total 7"), r.body());
            assertTrue(r.body().contains("anomalog_dead_letters_total 1"), r.body());
        }
    }
}
