package io.anomalog.core.detect;

import io.anomalog.core.util.AnomalogException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Hyper-parameters given as text ({@code --param history=10}), read with typed defaults. Every value read is
 * recorded, so {@link #used()} is exactly what a model manifest should store, and {@link #checkAllUsed()} turns
 * a misspelt name into an error instead of a silently ignored setting.
 */
public final class Params {

    private final Map<String, String> given;
    private final Map<String, Object> used = new LinkedHashMap<>();

    public Params(Map<String, String> given) {
        this.given = given == null ? Map.of() : Map.copyOf(given);
    }

    public static Params empty() {
        return new Params(Map.of());
    }

    public static Params of(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return new Params(m);
    }

    /**
     * Reads {@code NAME=VALUE} texts, as the repeatable {@code -p} option gives them, into a map in the order given
     * (a later value for the same name wins). Every command reads the syntax here, so it has one error message.
     */
    public static Map<String, String> parse(List<String> assignments) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0 || a.substring(0, eq).isBlank()) {
                throw new AnomalogException("--param expects NAME=VALUE, got '" + a + "'");
            }
            out.put(a.substring(0, eq).strip(), a.substring(eq + 1).strip());
        }
        return out;
    }

    /**
     * Splits {@code METHOD.NAME=VALUE} texts into the parameters of each method (method -> name -> value), for
     * commands that run several methods at once.
     */
    public static Map<String, Map<String, String>> parseByMethod(List<String> assignments) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : parse(assignments).entrySet()) {
            int dot = e.getKey().indexOf('.');
            if (dot <= 0 || dot == e.getKey().length() - 1) {
                throw new AnomalogException("--param expects METHOD.NAME=VALUE here, got '" + e.getKey() + "="
                        + e.getValue() + "'");
            }
            out.computeIfAbsent(e.getKey().substring(0, dot), k -> new LinkedHashMap<>())
                    .put(e.getKey().substring(dot + 1), e.getValue());
        }
        return out;
    }

    public int getInt(String name, int def) {
        return record(name, parse(name, def, Integer::parseInt));
    }

    public long getLong(String name, long def) {
        return record(name, parse(name, def, Long::parseLong));
    }

    public double getDouble(String name, double def) {
        return record(name, parse(name, def, Double::parseDouble));
    }

    public boolean getBoolean(String name, boolean def) {
        return record(name, parse(name, def, s -> {
            if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
                throw new NumberFormatException();
            }
            return Boolean.parseBoolean(s);
        }));
    }

    public String getString(String name, String def) {
        return record(name, given.getOrDefault(name, def));
    }

    public boolean has(String name) {
        return given.containsKey(name);
    }

    /** The values read so far, defaults included, in reading order. */
    public Map<String, Object> used() {
        return Collections.unmodifiableMap(used);
    }

    /** Fails on any given parameter that nothing read. Call after the trainer read its parameters. */
    public void checkAllUsed(String method) {
        Set<String> unknown = new TreeSet<>(given.keySet());
        unknown.removeAll(used.keySet());
        if (!unknown.isEmpty()) {
            throw new AnomalogException("unknown parameter(s) for " + method + ": " + unknown
                    + "; known: " + new TreeSet<>(used.keySet()));
        }
    }

    private <T> T record(String name, T value) {
        used.put(name, value);
        return value;
    }

    private interface Parser<T> {
        T parse(String s);
    }

    private <T> T parse(String name, T def, Parser<T> parser) {
        String v = given.get(name);
        if (v == null) {
            return def;
        }
        try {
            return parser.parse(v.trim());
        } catch (RuntimeException e) {
            throw new AnomalogException("parameter " + name + "=" + v + " is not a valid "
                    + def.getClass().getSimpleName().toLowerCase());
        }
    }
}
