package io.anomalog.cli;

import io.anomalog.core.util.AnomalogException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns repeated {@code --param name=value} options into a map. */
final class ParamConverter {

    private ParamConverter() {
    }

    static Map<String, String> toMap(List<String> params) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new AnomalogException("--param expects name=value, got '" + p + "'");
            }
            out.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
        }
        return out;
    }
}
