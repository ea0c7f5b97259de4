package io.anomalog.core.template;

import java.util.Arrays;

/**
 * One message as the tree search sees it: token boundaries in the text, and for each token its masked form.
 * Tokens that no masking rule can touch (plain words) are not copied out of the text: comparisons use
 * {@link String#regionMatches}, and a token becomes a String only when it is needed as a tree key, a parameter
 * or a new template. This keeps the hot path almost free of per-token allocation.
 */
final class Line {

    private static final int[] NO_INTS = new int[0];
    private static final byte PLAIN = 0;
    private static final byte SPACE = 1;
    private static final byte SPECIAL = 2;
    private static final byte COLON = 3;
    private static final byte QUOTE = 4;
    /** What the tokeniser needs to know of each ASCII character, from {@link Tokens#isSpace} and {@link MaskingRules#isSpecial}. */
    private static final byte[] KINDS = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            KINDS[c] = Tokens.isSpace(c) ? SPACE : c == ':' ? COLON : c == '"' ? QUOTE
                    : MaskingRules.isSpecial(c) ? SPECIAL : PLAIN;
        }
    }
    /** Words a quoted value may span and still be one token. */
    static final int MAX_QUOTED_WORDS = 6;

    final String text;          // null when built from ready tokens
    final int size;
    private final int[] start;
    private final int[] end;
    private final String[] masked;   // masked form, or the raw token, or null = raw token not yet copied
    private final String[] raw;      // raw token when copied, else null
    private byte[] plain;            // per token: 0 not yet known, 1 plain word, 2 not

    private Line(String text, int size, int[] start, int[] end, String[] masked, String[] raw) {
        this.text = text;
        this.size = size;
        this.start = start;
        this.end = end;
        this.masked = masked;
        this.raw = raw;
    }

    /** Splits on whitespace and masks each token that a rule might apply to. */
    static Line of(String text, MaskingRules masking) {
        return of(text, masking, false);
    }

    /**
     * Splits on whitespace and masks each token that a rule might apply to; with {@code joinRuns}, a run of tokens
     * that are each wholly a variable becomes one variable token whose raw text is the run (with its inner white
     * space), so lists and call stacks of any length give one template.
     */
    static Line of(String text, MaskingRules masking, boolean joinRuns) {
        int n = text.length();
        int[] s = new int[16];
        int[] e = new int[16];
        boolean[] special = new boolean[16];
        int count = 0;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Tokens.isSpace(c)) {
                i++;
                continue;
            }
            int from = i;
            boolean sp = false;
            int quotes = 0;
            boolean keyedQuote = false;
            // one pass finds the token's end and whether it holds a character masking rules look for; a table
            // says in one look-up that a character (most are letters) is none of those that matter here
            while (i < n) {
                c = text.charAt(i);
                byte kind = c < 128 ? KINDS[c] : PLAIN;
                if (kind != PLAIN) {
                    if (kind == SPACE) {
                        break;
                    }
                    if (kind == SPECIAL) {
                        sp = true;
                    } else if (kind == COLON) {
                        // a ':' only matters inside a token (key:value, host:port); a closing one is punctuation
                        sp |= i + 1 < n && !Tokens.isSpace(text.charAt(i + 1));
                    } else {
                        keyedQuote |= quotes == 0 && i > from
                                && (text.charAt(i - 1) == '=' || text.charAt(i - 1) == ':');
                        quotes++;
                    }
                }
                i++;
            }
            if ((quotes & 1) == 1 && keyedQuote) {
                // a key's quoted value with spaces inside (tag="View Lock") is one token when its quote closes soon
                int j = i;
                boolean spMore = false;
                for (int more = 0; more < MAX_QUOTED_WORDS && j < n; more++) {
                    while (j < n && Tokens.isSpace(text.charAt(j))) {
                        j++;
                    }
                    boolean closes = false;
                    while (j < n && !Tokens.isSpace(text.charAt(j))) {
                        char q = text.charAt(j);
                        closes |= q == '"';
                        spMore |= MaskingRules.isSpecial(q);
                        j++;
                    }
                    if (closes) {
                        i = j;
                        sp |= spMore;
                        break;
                    }
                }
            }
            if (count == s.length) {
                s = Arrays.copyOf(s, count * 2);
                e = Arrays.copyOf(e, count * 2);
                special = Arrays.copyOf(special, count * 2);
            }
            s[count] = from;
            e[count] = i;
            special[count] = sp;
            count++;
        }
        String[] masked = new String[count];
        String[] raw = new String[count];
        int out = 0;
        for (int t = 0; t < count; t++) {
            String m = null;
            String r = null;
            if (masking.mightMask(text, s[t], e[t], special[t])) {
                r = text.substring(s[t], e[t]);
                m = masking.maskToken(r);
            }
            if (joinRuns && out > 0 && MaskingRules.WILDCARD.equals(m) && MaskingRules.WILDCARD.equals(masked[out - 1])) {
                e[out - 1] = e[t];
                raw[out - 1] = null;    // the run's text, cut from the message when needed
                continue;
            }
            s[out] = s[t];
            e[out] = e[t];
            masked[out] = m;
            raw[out] = r;
            out++;
        }
        return new Line(text, out, s, e, masked, raw);
    }

    /** The tokens of a text as the tokeniser cuts them (a quoted value with spaces stays one), unmasked. */
    static String[] split(String text) {
        return of(text, MaskingRules.none(), false).tokens();
    }

    /** A line of ready (already masked) tokens, for learning and tests. */
    static Line ofTokens(String[] tokens) {
        return new Line(null, tokens.length, NO_INTS, NO_INTS, tokens, tokens);
    }

    /** The masked token at i as a String (copied out of the text on first use). */
    String token(int i) {
        String m = masked[i];
        if (m == null) {
            m = raw(i);
            masked[i] = m;
        }
        return m;
    }

    /** The raw token at i. */
    String raw(int i) {
        String r = raw[i];
        if (r == null) {
            r = text.substring(start[i], end[i]);
            raw[i] = r;
        }
        return r;
    }

    boolean tokenEquals(int i, String t) {
        String m = masked[i];
        if (m != null) {
            return m.equals(t);
        }
        int len = end[i] - start[i];
        return len == t.length() && text.regionMatches(start[i], t, 0, len);
    }

    /** Whether the token is a plain word (letters, maybe a closing mark), without copying it. */
    boolean isPlainWord(int i) {
        if (plain == null) {
            plain = new byte[size];
        }
        byte p = plain[i];
        if (p == 0) {
            String m = masked[i];
            p = (m != null ? TokenKinds.isPlainWord(m) : TokenKinds.isPlainWord(text, start[i], end[i])) ? (byte) 1 : 2;
            plain[i] = p;
        }
        return p == 1;
    }

    /** Whether the token is punctuation only, without copying it. */
    boolean isSymbols(int i) {
        String m = masked[i];
        if (m != null) {
            return TokenKinds.isSymbols(m);
        }
        for (int k = start[i]; k < end[i]; k++) {
            if (Character.isLetterOrDigit(text.charAt(k))) {
                return false;
            }
        }
        return end[i] > start[i];
    }

    boolean isWildcard(int i) {
        String m = masked[i];
        return m != null && m.equals(MaskingRules.WILDCARD);
    }

    boolean allWildcards() {
        for (int i = 0; i < size; i++) {
            if (!isWildcard(i)) {
                return false;
            }
        }
        return true;
    }

    /** All masked tokens as Strings (for creating or generalising a template). */
    String[] tokens() {
        String[] out = new String[size];
        for (int i = 0; i < size; i++) {
            out[i] = token(i);
        }
        return out;
    }
}
