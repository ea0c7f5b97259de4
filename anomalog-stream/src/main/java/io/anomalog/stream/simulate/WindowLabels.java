package io.anomalog.stream.simulate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which injected anomalies show in a host's time window: those that wrote or changed one of its entries in it, and a
 * silence of the host's own service while it lasts (a silent host writes nothing that could carry the mark).
 *
 * <p>An anomaly's span alone would mark more: a slow payment provider acts on the gateways for half an hour, but a
 * quiet minute in which a gateway passed on no payment holds nothing that differs from a normal one, and no
 * detector reading logs can tell it from one. Labelling windows by the entries they hold is how labelled log
 * datasets mark windows (a window is anomalous when it holds an anomalous line); {@code windows.csv} and the
 * {@code services} protocol both label this way, the protocol at any window width.
 */
public final class WindowLabels {

    private final long width;
    /** host -> window start -> ids of the anomalies that changed an entry of it. */
    private final Map<String, Map<Long, Set<Integer>>> changed = new HashMap<>();

    /** @param widthMillis the window width; windows are aligned to the epoch */
    public WindowLabels(long widthMillis) {
        if (widthMillis <= 0) {
            throw new IllegalArgumentException("window width must be positive, got " + widthMillis + " ms");
        }
        this.width = widthMillis;
    }

    /** One entry a host wrote at {@code timeMillis}, and the anomaly that wrote or changed it (0 for none). */
    public void entry(String host, long timeMillis, int anomaly) {
        if (anomaly != 0) {
            changed.computeIfAbsent(host, h -> new HashMap<>())
                    .computeIfAbsent(Math.floorDiv(timeMillis, width) * width, s -> new HashSet<>(2)).add(anomaly);
        }
    }

    /** The kinds ({@link AnomalyKind#label()}) that show in the host's window starting at {@code start}; empty when normal. */
    public Set<String> kinds(String host, long start, List<ServiceAnomaly> anomalies) {
        Set<Integer> here = changed.getOrDefault(host, Map.of()).getOrDefault(start, Set.of());
        Set<String> kinds = new TreeSet<>();
        for (ServiceAnomaly a : anomalies) {
            if (here.contains(a.id()) || a.kind() == AnomalyKind.SILENCE && a.service().equals(serviceOf(host))
                    && a.overlaps(host, start, start + width)) {
                kinds.add(a.kind().label());
            }
        }
        return kinds;
    }

    private static String serviceOf(String host) {
        return ServicesSimulator.HOSTS.contains(host) ? ServicesSimulator.service(host) : null;
    }
}
