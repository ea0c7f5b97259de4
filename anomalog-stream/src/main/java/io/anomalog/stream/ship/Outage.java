package io.anomalog.stream.ship;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * The shipper's view of a broker that does not answer: says so once when it goes away and once when it is back
 * (with how long it was away), and paces the retries in between (0.5 s, doubling to 10 s), waking early for a
 * stop request.
 */
final class Outage {

    private static final Logger LOG = LoggerFactory.getLogger(Outage.class);
    private static final long FIRST_PAUSE_MILLIS = 500;
    private static final long LONGEST_PAUSE_MILLIS = 10_000;

    private final String where;
    private final BooleanSupplier stopped;
    private long downSince = -1;
    private long pause = FIRST_PAUSE_MILLIS;
    private long lastReport;

    Outage(String where, BooleanSupplier stopped) {
        this.where = where;
        this.stopped = stopped;
    }

    /** The broker did not answer a call. */
    void down(Exception cause) {
        long now = System.currentTimeMillis();
        if (downSince < 0) {
            downSince = now;
            lastReport = now;
            LOG.warn("Kafka at {} does not answer ({}); holding the current batch and retrying until it does",
                    where, cause.getMessage());
        } else if (now - lastReport >= 60_000) {
            lastReport = now;
            LOG.warn("Kafka at {} still does not answer after {} s; still retrying", where, (now - downSince) / 1000);
        }
    }

    /** A call went through. */
    void back() {
        if (downSince >= 0) {
            LOG.warn("Kafka at {} answers again after {} s; shipping goes on", where,
                    (System.currentTimeMillis() - downSince) / 1000);
            downSince = -1;
            pause = FIRST_PAUSE_MILLIS;
        }
    }

    boolean isDown() {
        return downSince >= 0;
    }

    /** Waits before the next retry; false when the shipper was asked to stop (or interrupted) meanwhile. */
    boolean backoff() {
        long until = System.currentTimeMillis() + pause;
        pause = Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
        while (System.currentTimeMillis() < until) {
            if (stopped.getAsBoolean()) {
                return false;
            }
            try {
                Thread.sleep(Math.min(100, Math.max(1, until - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !stopped.getAsBoolean();
    }
}
