package io.anomalog.core.log;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The fields of one record as two parallel arrays (a header format's names shared by all its records, a JSON
 * object's names as the parser's canonical instances): a few fields per line make a hash map the most expensive
 * part of reading them, and a lookup by one of those name objects is a scan by identity. Read-only, in the
 * line's order; no null values.
 */
final class FieldMap extends AbstractMap<String, Object> {

    private final String[] names;
    private final Object[] values;

    FieldMap(String[] names, Object[] values) {
        this.names = names;
        this.values = values;
    }

    @Override
    public Object get(Object key) {
        // callers mostly ask with the format's own name objects: found without comparing text
        for (int i = 0; i < names.length; i++) {
            if (names[i] == key) {
                return values[i];
            }
        }
        if (!(key instanceof String k)) {
            return null;
        }
        int h = k.hashCode();   // cached in both strings: most names are rejected without reading their text
        for (int i = 0; i < names.length; i++) {
            if (names[i].hashCode() == h && names[i].equals(k)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    int i;

                    @Override
                    public boolean hasNext() {
                        return i < names.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (i >= names.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Object> e = new SimpleImmutableEntry<>(names[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }
}
