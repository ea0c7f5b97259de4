package io.anomalog.stream.simulate;

import java.time.Instant;
import java.util.Set;

/**
 * One injected anomaly: what, where it started (the service whose fault it is), when, and the hosts whose logs it
 * changed (the faulty service's host and the hosts that logged its effects, such as the gateways passing on its
 * errors); a silent host is among them although it wrote nothing.
 *
 * @param id      1-based number, as the entry labels name it
 * @param kind    what was injected
 * @param service the service at fault (for a slow dependency: the dependency, {@code db} or {@code provider})
 * @param start   first instant it acts (inclusive)
 * @param end     last instant it acts (exclusive)
 * @param hosts   the hosts whose logs show it
 * @param detail  its parameters in words (rates, factors, the attacking address)
 */
public record ServiceAnomaly(int id, AnomalyKind kind, String service, Instant start, Instant end, Set<String> hosts,
                             String detail) {

    public ServiceAnomaly {
        hosts = Set.copyOf(hosts);
    }

    /** Whether it acts on {@code host} at some time in {@code [from, to)}. */
    public boolean overlaps(String host, long fromMillis, long toMillis) {
        return hosts.contains(host) && start.toEpochMilli() < toMillis && fromMillis < end.toEpochMilli();
    }
}
