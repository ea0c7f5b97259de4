package io.anomalog.stream.topology;

import java.util.HashMap;
import java.util.Map;

/**
 * The time of each host as the stream knows it, which decides when its sessions and windows are over: the
 * latest record timestamp read from the host (its shipper stamps each record when it reads the line), moved on
 * by the shipper's heartbeats while the host is quiet. While the broker is away or the detector lags, no record
 * arrives and the host's time stands still, so no outage or lag closes a session early: its next lines, when they
 * come, still find it open.
 *
 * <p>A host whose records come from another collector (Filebeat, rsyslog) sends no heartbeats; when nothing at
 * all came from it for the quiet-host time of wall clock, its time is taken to have moved on to now, so its last
 * sessions close. A host that has sent a heartbeat is never closed by the wall clock.
 */
final class HostClocks {

    private static final class Clock {
        long time = Long.MIN_VALUE;
        long lastRecordWall;
        boolean heartbeats;
    }

    private final long quietHostMillis;
    private final Map<String, Clock> clocks = new HashMap<>();

    HostClocks(long quietHostMillis) {
        this.quietHostMillis = quietHostMillis;
    }

    /** A record (a line or a heartbeat) from a host, with its timestamp, read at wall-clock time {@code wall}. */
    void observe(String host, long timestamp, long wall, boolean heartbeat) {
        Clock c = clocks.computeIfAbsent(host, h -> new Clock());
        c.time = Math.max(c.time, timestamp);
        c.lastRecordWall = wall;
        c.heartbeats |= heartbeat;
    }

    /** After a restart: a host's time is at least that of its restored sessions' last lines. */
    void restore(String host, long timestamp, long wall) {
        Clock c = clocks.computeIfAbsent(host, h -> new Clock());
        c.time = Math.max(c.time, timestamp);
        c.lastRecordWall = Math.max(c.lastRecordWall, wall);
    }

    /** The host's time now: its latest record timestamp, or the wall clock when it has been quiet long enough. */
    long now(String host, long wall) {
        Clock c = clocks.get(host);
        if (c == null) {
            return Long.MIN_VALUE;
        }
        if (!c.heartbeats && wall - c.lastRecordWall >= quietHostMillis) {
            return Math.max(c.time, wall);
        }
        return c.time;
    }
}
