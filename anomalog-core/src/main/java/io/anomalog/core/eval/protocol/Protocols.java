package io.anomalog.core.eval.protocol;

import io.anomalog.core.util.AnomalogException;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The evaluation protocols on the class path. */
public final class Protocols {

    private Protocols() {
    }

    public static Map<String, Protocol> all() {
        Map<String, Protocol> found = new TreeMap<>();
        for (Protocol p : ServiceLoader.load(Protocol.class)) {
            found.put(p.name(), p);
        }
        return found;
    }

    public static Protocol byName(String name) {
        Protocol p = all().get(name);
        if (p == null) {
            throw new AnomalogException("unknown protocol '" + name + "'; known protocols: "
                    + String.join(", ", all().keySet()));
        }
        return p;
    }
}
