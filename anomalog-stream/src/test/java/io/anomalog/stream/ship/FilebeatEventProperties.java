package io.anomalog.stream.ship;

import io.anomalog.core.testing.Hostile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The detector's JSON decoder against any bytes: an event, or a reason; and what it writes it reads back. */
class FilebeatEventProperties {

    private final Hostile gen = Hostile.seeded();

    @Test
    void anyBytesGiveAnEventOrAReasonNeverAnotherException() {
        String[] fragments = {"{", "}", "[", "]", "\"message\":", "\"host\":{\"name\":\"h\"}", "\"log\":{\"offset\":",
                "1e400", "99999999999999999999", "null", "\"\\u0000\"", ",", ":", "\"x\"", "\"\\ud800\"", "true"};
        for (int c = 0; c < 1000; c++) {
            byte[] value;
            if (gen.random().nextBoolean()) {
                StringBuilder sb = new StringBuilder();
                int n = gen.between(0, 40);
                for (int i = 0; i < n; i++) {
                    sb.append(gen.oneOf(fragments));
                }
                value = sb.toString().getBytes(StandardCharsets.UTF_8);
            } else {
                value = gen.bytes();
            }
            try {
                FilebeatEvent.parse(value);
            } catch (IOException | IllegalArgumentException expected) {
                // a reason the detector puts in the dead letter
            }
            if (value.length > 0 && value[0] != '{') {
                assertFalse(FilebeatEvent.isHeartbeat(value), gen.replay(c));
            }
        }
    }

    @Test
    void whatTheShipperWritesTheDetectorReadsBack() throws IOException {
        try (FilebeatEvent.Writer w = new FilebeatEvent.Writer()) {
            for (int c = 0; c < 500; c++) {
                String host = gen.text(20).replaceAll("[^A-Za-z0-9._-]", "h");
                long offset = Math.abs(gen.random().nextLong() % 1_000_000_000L);
                FilebeatEvent e = FilebeatEvent.of(gen.text(300), "2024-01-01T00:00:00Z", host.isEmpty() ? "h" : host,
                        "/var/log/a.log", offset);
                assertEquals(e, FilebeatEvent.parse(w.toJson(e, offset % 2 == 0)), gen.replay(c));
                assertFalse(FilebeatEvent.isHeartbeat(w.toJson(e)), gen.replay(c));
            }
        }
    }
}
