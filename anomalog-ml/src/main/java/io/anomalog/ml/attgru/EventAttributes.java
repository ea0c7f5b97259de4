package io.anomalog.ml.attgru;

import io.anomalog.core.log.LogRecord;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.util.AnomalogException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The attributes of the one-hot classifier's merged key-and-attribute encoding (Kuznik): chosen fields of each
 * event, each with its own small vocabulary of values. A field is a header field of the log record by name
 * ({@code level}, {@code component}, {@code node}, ...; case does not matter) or a parameter of the event's
 * template by position ({@code param0} is the first wildcard's value).
 *
 * <p>Each attribute keeps the {@code maxValues} values seen most often in training (ties broken by the value, so
 * the same data gives the same indices); their indices are 1..k, and 0 stands for a missing value, a value not
 * kept, and padding. Parameters such as block ids take countless values, which is why the vocabulary is capped.
 */
public final class EventAttributes {

    private static final Pattern PARAMETER = Pattern.compile("param(\\d+)");

    private final List<String> names;
    private final List<Map<String, Integer>> values;

    private EventAttributes(List<String> names, List<Map<String, Integer>> values) {
        this.names = List.copyOf(names);
        this.values = List.copyOf(values);
    }

    /** No attributes: the window carries log keys only. */
    public static EventAttributes none() {
        return new EventAttributes(List.of(), List.of());
    }

    /**
     * Parses {@code level,component,param0}; {@code none} or an empty text is no attribute.
     *
     * @throws AnomalogException for a name that is neither a field name nor {@code paramN}
     */
    public static List<String> parseNames(String spec) {
        List<String> out = new ArrayList<>();
        if (spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("none")) {
            return out;
        }
        for (String part : spec.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z_][a-z0-9_.-]*")) {
                throw new AnomalogException("attribute '" + part + "' is not a field name (level, component, ...) "
                        + "or paramN");
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * Learns each attribute's values from the training events. Attributes that no training event carries are
     * dropped: they could only ever be "unknown".
     */
    public static EventAttributes fit(List<String> names, List<Sequence> training, int maxValues) {
        List<String> kept = new ArrayList<>();
        List<Map<String, Integer>> maps = new ArrayList<>();
        for (String name : names) {
            Map<String, Integer> counts = new HashMap<>();
            for (Sequence s : training) {
                for (ParsedEvent e : s.events()) {
                    String v = value(e, name);
                    if (v != null) {
                        counts.merge(v, 1, Integer::sum);
                    }
                }
            }
            if (counts.isEmpty()) {
                continue;
            }
            List<Map.Entry<String, Integer>> ranked = new ArrayList<>(counts.entrySet());
            ranked.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()));
            Map<String, Integer> index = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> entry : ranked.subList(0, Math.min(maxValues, ranked.size()))) {
                index.put(entry.getKey(), index.size() + 1);
            }
            kept.add(name);
            maps.add(index);
        }
        return new EventAttributes(kept, maps);
    }

    /** Number of attributes. */
    public int count() {
        return names.size();
    }

    public List<String> names() {
        return names;
    }

    /** One-hot width of each attribute: its kept values plus index 0. */
    public List<Integer> rows() {
        return values.stream().map(m -> m.size() + 1).toList();
    }

    /** The attribute indices of an event (all 0 for a null event or one without the fields). */
    public void indices(ParsedEvent e, int[] into, int offset) {
        for (int a = 0; a < names.size(); a++) {
            String v = e == null ? null : value(e, names.get(a));
            into[offset + a] = v == null ? 0 : values.get(a).getOrDefault(v, 0);
        }
    }

    /** The value of an attribute of an event, or null when it has none. */
    static String value(ParsedEvent e, String name) {
        Matcher m = PARAMETER.matcher(name);
        if (m.matches()) {
            int position = Integer.parseInt(m.group(1));
            return position < e.parameters().size() ? e.parameters().get(position) : null;
        }
        if (e.record() == null) {
            return null;
        }
        LogRecord r = e.record();
        String exact = r.field(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, Object> f : r.fields().entrySet()) {
            if (f.getKey().equalsIgnoreCase(name) && f.getValue() != null) {
                return f.getValue().toString();
            }
        }
        // the record's own level, component and host, for formats that name those fields otherwise
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "level" -> r.level();
            case "component" -> r.component();
            case "host" -> r.host();
            default -> null;
        };
    }

    /** For the manifest: attribute name -> its kept values in index order. */
    public Map<String, List<String>> toMap() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int a = 0; a < names.size(); a++) {
            out.put(names.get(a), new ArrayList<>(values.get(a).keySet()));
        }
        return out;
    }

    public static EventAttributes fromMap(Map<String, ?> map) {
        List<String> names = new ArrayList<>();
        List<Map<String, Integer>> maps = new ArrayList<>();
        if (map != null) {
            map.forEach((name, list) -> {
                Map<String, Integer> index = new LinkedHashMap<>();
                if (list instanceof List<?> l) {
                    for (Object o : l) {
                        index.put(String.valueOf(o), index.size() + 1);
                    }
                }
                names.add(name);
                maps.add(index);
            });
        }
        return new EventAttributes(names, maps);
    }
}
