package io.anomalog.server;

import java.util.Map;

/** Per-host figures the console shows beside the detector's own: lines on each host's topic and the lag on them. */
@FunctionalInterface
public interface HostStats {

    /**
     * @param lines lines on the host's topic so far (its end offsets)
     * @param lag   lines on it the detector has not read yet, or -1 when unknown
     */
    record Sample(long lines, long lag) {
    }

    /** A sample per host name, now. */
    Map<String, Sample> sample();

    /** No per-host figures (a console without a cluster). */
    static HostStats none() {
        return Map::of;
    }
}
