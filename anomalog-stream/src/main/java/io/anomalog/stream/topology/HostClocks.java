package io.anomalog.stream.topology;

import io.anomalog.stream.ship.FilebeatEvent;

import java.util.HashMap;
import java.util.Map;

/**
 * The time of each host as the stream knows it, which decides when its sessions and windows are over: it follows
 * the record timestamps read from the host (its shipper stamps each record when it reads the line), moved on by
 * the shipper's heartbeats while the host is quiet. While the broker is away or the detector lags, no record
 * arrives and the host's time stands still, so no outage or lag closes a session early: its next lines, when they
 * come, still find it open.
 *
 * <p>A shipper that works sends a record at least every {@link FilebeatEvent#HEARTBEAT_MILLIS} (a line or a
 * heartbeat). A longer step between two records of a host that sends heartbeats means its shipper could not ship
 * (the broker or a partition leader away, the shipper itself down): the lines it reads after the wait were written
 * during it, at times the stream cannot know, and all carry the time of the read. Such a step counts as
 * {@link #STALL_STEP_MILLIS} only, so the wait does not end the sessions that go on in those lines; sessions that
 * really ended during it close one gap of the host's time later. The decode stage passes on a heartbeat with the
 * first line of such a shipper since its start, so a restarted detector knows the host from its first line.
 *
 * <p>A host whose records come from another collector (Filebeat, rsyslog) sends no heartbeats, and its quiet
 * times are normal; its steps count in full. When nothing at all came from it for the quiet-host time of wall
 * clock, its time is taken to have moved on to now, so its last sessions close. A host that has sent a heartbeat
 * is never closed by the wall clock, unless its shipper said it stopped ({@link #stopped}).
 */
final class HostClocks {

    /** The most one step between two records of a host with heartbeats counts for: a heartbeat interval and a bit. */
    static final long STALL_STEP_MILLIS = FilebeatEvent.HEARTBEAT_MILLIS * 5 / 4;

    private static final class Clock {
        /** The host's time, as the sessions' and windows' last times are given. */
        long time = Long.MIN_VALUE;
        /** The latest record timestamp read from the host; unknown after a restart until its next record. */
        long stamp = Long.MIN_VALUE;
        long lastRecordWall;
        boolean heartbeats;
    }

    private final long quietHostMillis;
    private final Map<String, Clock> clocks = new HashMap<>();

    HostClocks(long quietHostMillis) {
        this.quietHostMillis = quietHostMillis;
    }

    /**
     * A record (a line or a heartbeat) from a host, with its timestamp, read at wall-clock time {@code wall}.
     *
     * @return the host's time after it
     */
    long observe(String host, long timestamp, long wall, boolean heartbeat) {
        Clock c = clocks.computeIfAbsent(host, h -> new Clock());
        c.heartbeats |= heartbeat;
        if (c.time == Long.MIN_VALUE) {
            c.time = timestamp;
        } else if (c.stamp != Long.MIN_VALUE && timestamp > c.stamp) {
            long step = timestamp - c.stamp;
            c.time += c.heartbeats ? Math.min(step, STALL_STEP_MILLIS) : step;
        }
        // after a restart the first record only sets the stamp: the step from the last one before is not known
        c.stamp = Math.max(c.stamp, timestamp);
        c.lastRecordWall = wall;
        return c.time;
    }

    /** A shipper's signal from a host: a heartbeat moves its time on, a stop record ends its heartbeats. */
    void signal(String host, Tick tick, long timestamp, long wall) {
        if (tick == Tick.STOPPED) {
            stopped(host, wall);
        } else {
            observe(host, timestamp, wall, true);
        }
    }

    /**
     * The host's shipper stopped cleanly: from now on its quiet times are counted as a host's without heartbeats,
     * so its last sessions close after the quiet-host time of wall clock (and when a shipper starts again, its
     * first line or heartbeat marks the host again).
     */
    void stopped(String host, long wall) {
        Clock c = clocks.get(host);
        if (c != null) {
            c.heartbeats = false;
            c.lastRecordWall = wall;
        }
    }

    /** After a restart: a host's time is at least that of its restored sessions' last lines. */
    void restore(String host, long time, long wall) {
        Clock c = clocks.computeIfAbsent(host, h -> new Clock());
        c.time = Math.max(c.time, time);
        c.lastRecordWall = Math.max(c.lastRecordWall, wall);
    }

    /** The host's time now: as its records moved it, or the wall clock when it has been quiet long enough. */
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
