package io.anomalog.core.template;

/**
 * What two differing tokens at one position say about two lines: whether they name different events (the word
 * guard), how a template token is generalised when they do not, and whether a template token with a wildcard
 * inside ({@code uid=<*>}, {@code [<*>]}) covers a line's token.
 */
final class TokenKinds {

    private static final String WILD = MaskingRules.WILDCARD;

    private TokenKinds() {
    }

    /** A token with a letter and no wildcard: a word, possibly with digits ({@code closed}, {@code SOCKS5}). */
    static boolean isConstantWord(String t) {
        if (t.contains(WILD)) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            if (Character.isLetter(t.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A token of punctuation only ({@code ****}, {@code --}, {@code ->}): a mark in the message's layout, never
     * a value, so it neither matches a wildcard nor is generalised.
     */
    static boolean isSymbols(String t) {
        if (t.isEmpty() || t.contains(WILD)) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isLetterOrDigit(c) || (i > 0 && isEmptyPair(t.charAt(i - 1), c))) {
                return false;       // an empty pair of brackets or quotes is an empty value, not layout
            }
        }
        return true;
    }

    private static boolean isEmptyPair(char open, char close) {
        return (open == '(' && close == ')') || (open == '[' && close == ']') || (open == '{' && close == '}')
                || (open == '"' && close == '"') || (open == '\'' && close == '\'');
    }

    /**
     * The word guard: whether a template token and a line token that differ name different events, so the line
     * must not join the template.
     * <ul>
     *   <li>punctuation against anything else: different layouts ({@code ****} where a reading stood);</li>
     *   <li>two {@code key=value} (or {@code key:value}) tokens: apart when their keys differ; a key left empty
     *       ({@code rhost=}) against the same key with a value is another event; the same key with two word values
     *       is judged as two words (the caller lets several such differences at once pass, see
     *       {@link #sameKeyOtherWord});</li>
     *   <li>two words: apart ({@code opened}/{@code closed}, {@code HTTPS}/{@code SOCKS5}), unless both carry
     *       digits and begin alike, as numbered instances of one thing do ({@code eth0}/{@code eth1},
     *       {@code Node_A1}/{@code Node_B2}).</li>
     * </ul>
     */
    static boolean keepApart(String a, String b) {
        if (isPlainWord(a) && isPlainWord(b)) {
            return true;                // the common case, decided in one pass over each
        }
        if (isSymbols(a) || isSymbols(b)) {
            return true;
        }
        int ka = keyLength(a);
        int kb = keyLength(b);
        if (ka > 0 && kb > 0) {
            if (ka != kb || !a.regionMatches(0, b, 0, ka)) {
                return true;
            }
            // the same key: the values decide; word values are left to the caller (sameKeyOtherWord)
            return false;
        }
        if (emptyValueOf(a, b, kb) || emptyValueOf(b, a, ka)) {
            return true;
        }
        if (a.contains(WILD) || b.contains(WILD)) {
            // a template token with a wildcard inside against another token: apart when their constant letters
            // differ ((uid=<*>) against LOGIN(uid=<*>))
            return !a.equals(WILD) && !b.equals(WILD) && framed(a) && framed(b) && hasLetter(stem(a))
                    && hasLetter(stem(b)) && !stem(a).equals(stem(b));
        }
        if (!isConstantWord(a) || !isConstantWord(b)) {
            return false;
        }
        boolean digitsA = MaskingRules.hasDigit(a, 0, a.length());
        boolean digitsB = MaskingRules.hasDigit(b, 0, b.length());
        if (digitsA && digitsB && a.length() >= 2 && b.length() >= 2 && a.charAt(0) == b.charAt(0)
                && a.charAt(1) == b.charAt(1)) {
            return false;
        }
        return true;
    }

    /** Letters only, with at most a closing punctuation mark ({@code closed}, {@code HTTPS,}). */
    static boolean isPlainWord(String t) {
        return isPlainWord(t, 0, t.length());
    }

    static boolean isPlainWord(CharSequence t, int from, int to) {
        int n = to;
        if (n - from > 1 && (t.charAt(n - 1) == ',' || t.charAt(n - 1) == '.' || t.charAt(n - 1) == ';')) {
            n--;
        }
        for (int i = from; i < n; i++) {
            char c = t.charAt(i);
            if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && (c < 0x80 || !Character.isLetter(c))) {
                return false;
            }
        }
        return n > from;
    }

    /**
     * A name qualified by at least two dots or slashes ({@code org.example.action.TIME_TICK},
     * {@code com.example/.MainActivity}): the name of a package, class, host or file; as the value of a key it is
     * a variable ({@code cmp=com.example/.Main}).
     */
    static boolean isQualifiedName(String t) {
        int seps = 0;
        boolean letter = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '.' || c == '/') {
                if (i > 0 && i + 1 < t.length() && Character.isLetterOrDigit(t.charAt(i + 1))) {
                    seps++;
                }
            } else if (Character.isLetter(c)) {
                letter = true;
            } else if (!Character.isDigit(c) && c != '_' && c != '$' && c != '-' && !isLeadMark(c) && c != ')'
                    && c != ']' && c != '}' && c != ',' && c != ';' && c != ':') {
                return false;
            }
        }
        return letter && seps >= 2;
    }

    /**
     * Whether every wildcard of a token stands between punctuation (or at an end), as a value after a key or inside
     * brackets does; a wildcard glued to letters or digits is a piece cut out of a value, and its letters say
     * nothing about the event.
     */
    static boolean framed(String t) {
        int at = t.indexOf(WILD);
        while (at >= 0) {
            int after = at + 3;
            if ((at > 0 && Character.isLetterOrDigit(t.charAt(at - 1)))
                    || (after < t.length() && Character.isLetterOrDigit(t.charAt(after)))) {
                return false;
            }
            at = t.indexOf(WILD, after);
        }
        return true;
    }

    /**
     * A token that is a value and punctuation only ({@code <*>}, {@code (<*>}, {@code <*>),}, {@code ()}): it
     * carries no word of the event.
     */
    static boolean isBareValue(String t) {
        boolean wild = t.contains(WILD);
        if (!wild && !(t.length() >= 2 && isSymbolsWithEmptyPair(t))) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.startsWith(WILD, i)) {
                i += 2;
            } else if (Character.isLetterOrDigit(t.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSymbolsWithEmptyPair(String t) {
        for (int i = 1; i < t.length(); i++) {
            if (isEmptyPair(t.charAt(i - 1), t.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The letters of a token outside its wildcards. */
    static String stem(String t) {
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            if (t.startsWith(WILD, i)) {
                i += 2;
            } else if (Character.isLetter(t.charAt(i))) {
                sb.append(t.charAt(i));
            }
        }
        return sb.toString();
    }

    private static boolean hasLetter(String s) {
        return !s.isEmpty();
    }

    /**
     * Two {@code key=value} tokens with the same key and different word values ({@code user=root},
     * {@code user=guest}): one such difference alone may name another event, as any other word; several at once
     * are the fields of one event varying together.
     */
    static boolean sameKeyOtherWord(String a, String b) {
        if (a.indexOf('=') < 0 && a.indexOf(':') < 0) {
            return false;
        }
        int ka = keyLength(a);
        if (ka == 0 || ka != keyLength(b) || !a.regionMatches(0, b, 0, ka) || a.equals(b)) {
            return false;
        }
        String va = a.substring(ka);
        String vb = b.substring(ka);
        return isConstantWord(va) && isConstantWord(vb) && !(isQualifiedName(va) && isQualifiedName(vb));
    }

    /** A key without its value ({@code rhost=}) against the same key with one: a field left empty is another event. */
    private static boolean emptyValueOf(String empty, String full, int fullKey) {
        return fullKey > 0 && empty.length() == fullKey && full.startsWith(empty);
    }

    /**
     * Length of the key of a {@code key=value} or {@code key:value} token, including the separator, or 0: the key
     * is a word (letters, digits, '_', '.', '-', no wildcard) before the first '=' or ':' and a value follows.
     */
    static int keyLength(String t) {
        int n = t.length();
        int i = 0;
        while (i < n && isLeadMark(t.charAt(i))) {
            i++;
        }
        int start = i;
        boolean letter = false;
        for (; i < n; i++) {
            char c = t.charAt(i);
            if (c == '=' || c == ':') {
                return letter && i > start && i + 1 < n ? i + 1 : 0;
            }
            if (Character.isLetter(c)) {
                letter = true;
            } else if (!(Character.isDigit(c) || c == '_' || c == '.' || c == '-')) {
                return 0;
            }
        }
        return 0;
    }

    private static boolean isLeadMark(char c) {
        return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'';
    }

    /**
     * The template token covering two differing tokens: their common beginning up to a separator and their
     * common end from a separator stay, the middle becomes {@code <*>}: {@code [node_A1]} and {@code [node_B2]}
     * give {@code [<*>]}, {@code user=root} and {@code user=guest} give {@code user=<*>}. Without a common frame
     * the token is {@code <*>}.
     */
    static String generaliseToken(String a, String b) {
        if (a.equals(b)) {
            return a;
        }
        if (a.equals(WILD) || b.equals(WILD)) {
            return WILD;
        }
        int max = Math.min(a.length(), b.length());
        int p = 0;
        while (p < max && a.charAt(p) == b.charAt(p)) {
            p++;
        }
        // the common beginning ends just after its last separator
        int cut = 0;
        for (int i = 0; i < p; i++) {
            if (isOpenSeparator(a.charAt(i))) {
                cut = i + 1;
            }
        }
        p = cut;
        int q = 0;
        while (q < max - p && a.charAt(a.length() - 1 - q) == b.charAt(b.length() - 1 - q)) {
            q++;
        }
        // the common end starts at its first separator
        int end = a.length();
        for (int j = a.length() - q; j < a.length(); j++) {
            if (isCloseSeparator(a.charAt(j))) {
                end = j;
                break;
            }
        }
        String out = a.substring(0, p) + WILD + a.substring(end);
        return MaskingRules.joinAdjacent(out);
    }

    private static boolean isOpenSeparator(char c) {
        return c == '=' || c == ':' || c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == ','
                || c == '|' || c == '@' || c == '#';
    }

    private static boolean isCloseSeparator(char c) {
        return c == ')' || c == ']' || c == '}' || c == '"' || c == '\'' || c == ',' || c == ';' || c == ':'
                || c == '.' || c == '|';
    }

    /**
     * Whether a template token with a wildcard inside covers a token: its literal pieces appear in order, the
     * first at the start and the last at the end, and each wildcard stands for at least one character unless
     * it sits between a pair of brackets or quotes ({@code user=<*>} covers {@code user=root}, not
     * {@code user=}; {@code (<*>)} covers {@code ()}).
     */
    static boolean covers(String template, String token) {
        int first = template.indexOf(WILD);
        if (first < 0) {
            return template.equals(token);
        }
        if (!token.regionMatches(0, template, 0, first)) {
            return false;
        }
        int pos = first;
        int from = first + 3;
        int next;
        while ((next = template.indexOf(WILD, from)) >= 0) {
            int len = next - from;
            if (len > 0) {
                int at = token.indexOf(template.substring(from, next), pos + minWidth(template, from - 3));
                if (at < 0) {
                    return false;
                }
                pos = at + len;
            }
            from = next + 3;
        }
        int tail = template.length() - from;
        return token.length() - tail >= pos + minWidth(template, from - 3)
                && token.regionMatches(token.length() - tail, template, from, tail);
    }

    /** 0 when the wildcard at {@code at} sits between a pair of brackets or quotes (it may stand for nothing), else 1. */
    private static int minWidth(String template, int at) {
        int after = at + 3;
        return at > 0 && after < template.length() && isEmptyPair(template.charAt(at - 1), template.charAt(after))
                ? 0 : 1;
    }
}
