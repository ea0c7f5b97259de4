package io.anomalog.core.log;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Header fields of one record as two parallel arrays (names shared by all records of a format): a few fields
 * per line make a hash map the most expensive part of header splitting. Read-only, in header order.
 */
final class FieldMap extends AbstractMap<String, Object> {

    private final String[] names;
    private final String[] values;

    FieldMap(String[] names, String[] values) {
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
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(key)) {
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
