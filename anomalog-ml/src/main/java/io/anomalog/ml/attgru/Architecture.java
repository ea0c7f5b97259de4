package io.anomalog.ml.attgru;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sizes of a window classifier; together with the saved parameters it is all that is needed to rebuild one.
 *
 * @param variant       which family member
 * @param window        events per window
 * @param keyRows       rows of the key table: unknown key, known keys, padding (the last row)
 * @param vectorSize    size of a template vector (ignored by the one-hot classifier)
 * @param attributeRows one-hot width of each event attribute, index 0 included (one-hot classifier only; empty
 *                      when the windows carry keys only)
 * @param hidden        recurrent hidden size (per direction)
 * @param dense         units of the fully connected ReLU layer
 * @param attentionSize size of the attention projection
 */
public record Architecture(Variant variant, int window, int keyRows, int vectorSize, List<Integer> attributeRows,
                           int hidden, int dense, int attentionSize) {

    public Architecture {
        attributeRows = List.copyOf(attributeRows);
    }

    public int paddingIndex() {
        return keyRows - 1;
    }

    /** Values per event in the input: the key index, then one index per attribute. */
    public int channels() {
        return 1 + attributeRows.size();
    }

    /** Width of the merged one-hot vector of an event: key one-hot, then each attribute's one-hot. */
    public int oneHotWidth() {
        return keyRows + attributeRows.stream().mapToInt(Integer::intValue).sum();
    }

    /** Output units: 2 softmax classes, or 1 sigmoid unit for the one-hot classifier. */
    public int outputs() {
        return variant.mergedOneHot() ? 1 : 2;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", variant.method());
        m.put("window", window);
        m.put("keyRows", keyRows);
        m.put("vectorSize", vectorSize);
        m.put("attributeRows", attributeRows);
        m.put("hidden", hidden);
        m.put("dense", dense);
        m.put("attentionSize", attentionSize);
        return m;
    }

    public static Architecture fromMap(Map<String, Object> m) {
        List<Integer> attributes = new ArrayList<>();
        if (!(m.get("attributeRows") instanceof List<?> list)) {
            throw new IllegalArgumentException("architecture lacks attributeRows");
        }
        for (Object o : list) {
            if (!(o instanceof Number n)) {
                throw new IllegalArgumentException("attributeRows holds " + o);
            }
            attributes.add(n.intValue());
        }
        return new Architecture(Variant.ofMethod((String) m.get("variant")), num(m, "window"), num(m, "keyRows"),
                num(m, "vectorSize"), attributes, num(m, "hidden"), num(m, "dense"), num(m, "attentionSize"));
    }

    private static int num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("architecture lacks " + key);
        }
        return n.intValue();
    }
}
