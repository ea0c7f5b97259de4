package io.anomalog.ml.deeplog.parameter;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a template parameter as a quantity: a decimal number, optionally signed, optionally followed by a unit of
 * size ({@code B KB MB GB TB}, powers of 1024, also {@code K M G}) or of time ({@code ns us ms s min h}, in
 * seconds), or {@code %}; surrounding brackets and a trailing comma, semicolon or full stop are ignored. Anything
 * else (addresses, paths, block names, words) is not a quantity. An integer of more than 12 digits is an
 * identifier (a block or request id), not a quantity.
 */
public final class Quantities {

    private static final Pattern NUMBER = Pattern.compile("([+-]?)(\\d+)(?:\\.(\\d+))?([A-Za-z%]{0,3})");
    private static final int MAX_DIGITS = 12;

    private Quantities() {
    }

    /** The value, or NaN when the text is not a quantity. */
    public static double parse(String text) {
        if (text == null) {
            return Double.NaN;
        }
        String t = text.strip();
        while (!t.isEmpty() && "([{".indexOf(t.charAt(0)) >= 0) {
            t = t.substring(1);
        }
        while (!t.isEmpty() && ")]},;.".indexOf(t.charAt(t.length() - 1)) >= 0) {
            t = t.substring(0, t.length() - 1);
        }
        Matcher m = NUMBER.matcher(t);
        if (!m.matches() || m.group(2).length() > MAX_DIGITS) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1) + m.group(2) + (m.group(3) == null ? "" : "." + m.group(3)));
        double unit = unit(m.group(4));
        return Double.isNaN(unit) ? Double.NaN : v * unit;
    }

    private static double unit(String u) {
        return switch (u.toLowerCase(Locale.ROOT)) {
            case "", "b", "%", "s", "sec" -> 1;
            case "k", "kb", "kib" -> 1024.0;
            case "m", "mb", "mib" -> 1024.0 * 1024;
            case "g", "gb", "gib" -> 1024.0 * 1024 * 1024;
            case "tb", "tib" -> 1024.0 * 1024 * 1024 * 1024;
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "min" -> 60;
            case "h" -> 3600;
            default -> Double.NaN;
        };
    }
}
