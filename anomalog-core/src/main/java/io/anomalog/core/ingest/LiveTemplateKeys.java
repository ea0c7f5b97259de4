package io.anomalog.core.ingest;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * Log keys for templates first seen in the stream. Templates of the model's store keep their ids. A new
 * template's key is derived from its text (when it was first seen), not from a counter: every detector instance,
 * and the same instance after a restart, gives the same new template the same key without talking to the
 * others, and two different texts never share a key, so the compacted {@code anomalog.templates} topic keeps
 * every one of them.
 *
 * <p>Keys start at {@value #FIRST_KEY}, far above any store's ids; a hash collision between two texts moves the
 * later one to the next free key.
 */
public final class LiveTemplateKeys {

    /** The lowest key of a template learned in the stream. */
    public static final int FIRST_KEY = 1 << 30;
    private static final int RANGE_MASK = FIRST_KEY - 1;

    private final int firstLiveTemplateId;
    private final ConcurrentHashMap<Integer, Integer> byTemplateId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, String> textByKey = new ConcurrentHashMap<>();

    /**
     * @param firstLiveTemplateId template ids from here on were created in the stream (the store's next id when
     *                            the model was loaded); lower ids are the store's own and are their own key
     */
    public LiveTemplateKeys(int firstLiveTemplateId) {
        this.firstLiveTemplateId = firstLiveTemplateId;
    }

    /** Every id is the store's own: keys are the template ids (for miners without a store). */
    public static LiveTemplateKeys none() {
        return new LiveTemplateKeys(Integer.MAX_VALUE);
    }

    /** The log key of a template (after alias resolution), given the text it has now. */
    public int keyOf(int templateId, String text) {
        if (templateId < firstLiveTemplateId) {
            return templateId;
        }
        return byTemplateId.computeIfAbsent(templateId, id -> assign(text));
    }

    /** Whether a key belongs to a template learned in the stream. */
    public static boolean isLive(int key) {
        return key >= FIRST_KEY;
    }

    private int assign(String text) {
        CRC32C crc = new CRC32C();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        int key = FIRST_KEY + ((int) crc.getValue() & RANGE_MASK);
        while (true) {
            String held = textByKey.putIfAbsent(key, text);
            if (held == null || held.equals(text)) {
                return key;
            }
            key = FIRST_KEY + ((key - FIRST_KEY + 1) & RANGE_MASK);
        }
    }
}
