package io.anomalog.core.template;

import io.anomalog.core.util.AnomalogException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The masking applied to a message before the template search: variable values become {@code <*>} so that lines
 * of one event look alike. Two kinds of rules:
 * <ul>
 *   <li>token rules ({@link MaskingRule}): hand-written scanners over each whitespace token, with surrounding
 *       punctuation ({@code ( [ , : " '} ...) kept, so {@code (10.0.0.1:80)} becomes {@code (<*>)};</li>
 *   <li>regular-expression rules over the whole message, for custom patterns (and the per-system patterns of
 *       the logparser benchmark); they cost a regex pass per line, so the defaults use none.</li>
 * </ul>
 * With {@link Builder#digitTokens(boolean)} every token that still contains a digit is a variable too.
 * Immutable and thread-safe.
 */
public final class MaskingRules {

    public static final String WILDCARD = "<*>";

    private final List<MaskingRule> tokenRules;
    private final List<Pattern> regexRules;
    private final boolean digitTokens;
    private final boolean keyValue;
    private final boolean builtInOnly;

    private MaskingRules(List<MaskingRule> tokenRules, List<Pattern> regexRules, boolean digitTokens, boolean keyValue) {
        this.tokenRules = List.copyOf(tokenRules);
        this.regexRules = List.copyOf(regexRules);
        this.digitTokens = digitTokens;
        this.keyValue = keyValue;
        this.builtInOnly = this.tokenRules.stream().allMatch(r -> r instanceof BuiltIn);
    }

    /** Marks the hand-written rules of this class, whose inputs {@link #mightMask} knows. */
    private interface BuiltIn extends MaskingRule {
    }

    /** Block ids, UUIDs, IPv4 addresses (with port), hex numbers, decimal numbers, paths, digit-bearing tokens. */
    public static MaskingRules defaults() {
        return builder().build();
    }

    /** No masking at all: plain Drain. */
    public static MaskingRules none() {
        return new Builder().clearTokenRules().digitTokens(false).keyValue(false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The names of the built-in token rules, in the order they are tried. */
    public static List<String> builtInNames() {
        return List.of("number", "ip", "blockid", "hex", "uuid", "hostport", "codelocation", "url", "path", "datetime",
                "boolean", "wordnumber");
    }

    /** A built-in token rule by name. */
    public static MaskingRule builtIn(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "blockid":
                return rule("blockid", true, t -> isBlockId(t) ? WILDCARD : null);
            case "hostport":
                return rule("hostport", true, t -> isHostPort(t) ? WILDCARD : null);
            case "codelocation":
                return rule("codelocation", true, t -> isCodeLocation(t) ? WILDCARD : null);
            case "url":
                return rule("url", false, t -> isUrl(t) ? WILDCARD : null);
            case "boolean":
                return rule("boolean", false, t -> isLiteralValue(t) ? WILDCARD : null);
            case "wordnumber":
                return rule("wordnumber", true, MaskingRules::maskWordNumber);
            case "uuid":
                return rule("uuid", true, t -> isUuid(t) ? WILDCARD : null);
            case "ip":
                return rule("ip", true, t -> isIp(t) ? WILDCARD : null);
            case "hex":
                return rule("hex", false, t -> isHex(t) ? WILDCARD : null);
            case "number":
                return rule("number", true, t -> isNumber(t) ? WILDCARD : null);
            case "path":
                return rule("path", false, t -> isPath(t) ? WILDCARD : null);
            case "datetime":
                return rule("datetime", false, t -> isDateWord(t) ? WILDCARD : null);
            default:
                throw new AnomalogException("unknown masking rule '" + name + "'; known: " + String.join(", ", builtInNames()));
        }
    }

    public List<MaskingRule> tokenRules() {
        return tokenRules;
    }

    public List<String> regexRules() {
        return regexRules.stream().map(Pattern::pattern).toList();
    }

    public boolean digitTokens() {
        return digitTokens;
    }

    /** True when only token rules apply, so masked tokens align one to one with the message's tokens. */
    public boolean tokenAligned() {
        return regexRules.isEmpty();
    }

    /** A description for manifests and docs. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        tokenRules.forEach(r -> parts.add(r.name()));
        if (keyValue) {
            parts.add("key=value");
        }
        if (digitTokens) {
            parts.add("digit-tokens");
        }
        regexRules.forEach(p -> parts.add("regex:" + p.pattern()));
        return parts.isEmpty() ? "none" : String.join(",", parts);
    }

    /** Applies the regular-expression rules to the whole message (identity when there are none). */
    public String applyRegex(String content) {
        String s = content;
        for (Pattern p : regexRules) {
            s = p.matcher(s).replaceAll("<*>");
        }
        return s;
    }

    /**
     * False when no rule can change the token {@code text[from, to)}: built-in rules only, the token has no
     * {@link #isSpecial special} character (the tokeniser found that out on its way) and its core is not a day or
     * month name or a literal value ({@code true}, {@code false}, {@code null}). Lets the tokeniser skip copying
     * plain words.
     */
    boolean mightMask(String text, int from, int to, boolean special) {
        if (!builtInOnly || special) {
            return true;
        }
        int s = from;
        int e = to;
        while (s < e && isLeadPunct(text.charAt(s))) {
            s++;
        }
        while (e > s && isTrailPunct(text.charAt(e - 1))) {
            e--;
        }
        int n = e - s;
        if (n == 3) {
            return Character.isUpperCase(text.charAt(s));
        }
        if (n == 4 || n == 5) {
            char c = Character.toLowerCase(text.charAt(s));
            return c == 't' || c == 'f' || c == 'n';
        }
        return false;
    }

    /**
     * Characters that some built-in rule needs: digits, path separators, '=' and ':' (keys and values) and '<'
     * (of a wildcard).
     */
    static boolean isSpecial(char c) {
        return (c >= '0' && c <= '9') || c == '/' || c == '\\' || c == '=' || c == ':' || c == '<';
    }

    /** Masks one token (already split on whitespace). Returns the token itself when nothing applies. */
    public String maskToken(String token) {
        int n = token.length();
        if (n == 0 || token.equals(WILDCARD)) {
            return token;
        }
        int s = 0;
        int e = n;
        while (s < e && isLeadPunct(token.charAt(s))) {
            s++;
        }
        while (e > s && isTrailPunct(token.charAt(e - 1))) {
            e--;
        }
        if (s >= e) {
            return token;
        }
        String core = (s == 0 && e == n) ? token : token.substring(s, e);
        String masked = maskCore(core);
        if (masked == null) {
            return token;
        }
        if (s == 0 && e == n) {
            return masked;
        }
        return token.substring(0, s) + masked + token.substring(e);
    }

    /**
     * The template form of a token's core, or null when it stays as it is. A core that is one value as a whole (a
     * number, an address, a path ...) becomes {@code <*>}; otherwise, with key=value masking on, it is cut at the
     * separators that join a key to its value or list items ({@code = : , ( ) [ ] { } | " '}), each piece is
     * masked on its own and the separators stay, so {@code uid=0} gives {@code uid=<*>} and
     * {@code Rect(0,} gives {@code Rect(<*>,}: the masked value keeps its own boundaries and the parameter is
     * exactly the value.
     */
    private String maskCore(String core) {
        String whole = maskPiece(core, false);
        if (whole != null || !keyValue) {
            return whole != null ? whole : digitValue(core);
        }
        int n = core.length();
        int firstSep = -1;
        for (int i = 0; i < n; i++) {
            if (isSeparator(core.charAt(i))) {
                firstSep = i;
                break;
            }
        }
        if (firstSep < 0) {
            return digitValue(core);
        }
        StringBuilder sb = new StringBuilder(n + 8);
        boolean changed = false;
        int from = 0;
        for (int i = firstSep; i <= n; i++) {
            if (i == n || isSeparator(core.charAt(i))) {
                if (i > from) {
                    String piece = core.substring(from, i);
                    String m = maskPiece(piece, true);
                    if (m != null) {
                        changed = true;
                        sb.append(m);
                    } else {
                        sb.append(piece);
                    }
                }
                if (i < n) {
                    sb.append(core.charAt(i));
                }
                from = i + 1;
            }
        }
        return changed ? joinAdjacent(sb.toString()) : null;
    }

    /** One piece of a token: the token rules, then (for pieces of a cut token) the digit-value test. */
    private String maskPiece(String piece, boolean digitTest) {
        boolean digit = hasDigit(piece, 0, piece.length());
        for (MaskingRule r : tokenRules) {
            if (!digit && r.needsDigit()) {
                continue;
            }
            String m = r.mask(piece);
            if (m != null) {
                return m;
            }
        }
        return digitTest ? digitValue(piece) : null;
    }

    /**
     * With digit-token masking on, a token that still holds digits is a value when it has no letters
     * ({@code 12:30:01}, {@code 2016/9/27}) or at least two digits ({@code dn228}, {@code t761},
     * {@code HTTP/1.1}); a word with a single digit ({@code ssh2}, {@code SOCKS5}, {@code eth0},
     * {@code jk2_init}) names a protocol, a device or a function and stays a word.
     */
    private String digitValue(String core) {
        if (!digitTokens || core.contains(WILDCARD)) {
            return null;
        }
        int digits = 0;
        boolean letter = false;
        for (int i = 0; i < core.length(); i++) {
            char c = core.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (Character.isLetter(c)) {
                letter = true;
            }
        }
        if (digits == 0) {
            return null;
        }
        return !letter || digits >= 2 ? WILDCARD : null;
    }

    private static boolean isSeparator(char c) {
        return c == '=' || c == ':' || c == ',' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{'
                || c == '}' || c == '|' || c == '"' || c == '\'';
    }

    /**
     * Adjacent masked pieces joined only by '.', ':' or ',' are one value ({@code 10.0.0.1:80,10.0.0.2:80} is one
     * list): {@code <*>:<*>} becomes {@code <*>}.
     */
    static String joinAdjacent(String s) {
        if (s.indexOf(WILDCARD) == s.lastIndexOf(WILDCARD)) {
            return s;
        }
        String out = s;
        String prev;
        do {
            prev = out;
            out = out.replace("<*><*>", WILDCARD).replace("<*>.<*>", WILDCARD).replace("<*>:<*>", WILDCARD)
                    .replace("<*>,<*>", WILDCARD);
        } while (!out.equals(prev));
        return out;
    }

    private static boolean isLeadPunct(char c) {
        return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == ',' || c == ';';
    }

    private static boolean isTrailPunct(char c) {
        return c == ')' || c == ']' || c == '}' || c == '"' || c == '\'' || c == ',' || c == ';' || c == ':'
                || c == '.';
    }

    static boolean hasDigit(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private static MaskingRule rule(String name, boolean needsDigit, java.util.function.UnaryOperator<String> f) {
        return new BuiltIn() {
            @Override
            public boolean needsDigit() {
                return needsDigit;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String mask(String token) {
                return f.apply(token);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** HDFS block ids ({@code blk_-1608999687919862906}): the whole id is the value. */
    static boolean isBlockId(String t) {
        if (!t.startsWith("blk_")) {
            return false;
        }
        int i = 4;
        if (i < t.length() && t.charAt(i) == '-') {
            i++;
        }
        if (i >= t.length()) {
            return false;
        }
        for (; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean isUuid(String t) {
        if (t.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = t.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!isHexDigit(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * IPv4 with optional port, optionally after '/' (Java's InetAddress form {@code /10.0.0.1:50010}): the address
     * with its port is one value.
     */
    static boolean isIp(String t) {
        int i = t.startsWith("/") ? 1 : 0;
        int n = t.length();
        for (int part = 0; part < 4; part++) {
            int digits = 0;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9' && digits < 4) {
                i++;
                digits++;
            }
            if (digits == 0) {
                return false;
            }
            if (part < 3) {
                if (i >= n || t.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        return i == n || isPortSuffix(t, i);
    }

    private static boolean isPortSuffix(String t, int i) {
        if (i >= t.length() || t.charAt(i) != ':') {
            return false;
        }
        int digits = 0;
        for (int k = i + 1; k < t.length(); k++) {
            char c = t.charAt(k);
            if (c < '0' || c > '9') {
                return false;
            }
            digits++;
        }
        return digits > 0;
    }

    /**
     * A host name with a port ({@code proxy.example.org:8080}, {@code msra-sa-41:9000}), optionally with the
     * address after a '/' as Java prints it ({@code host/10.0.0.1:9000}). A host is dot-separated labels of
     * letters, digits and '-'; it must have a dot, a digit or a '-' and no upper-case letter after a dot, so a
     * {@code key:value} such as {@code CurrentState:0} or {@code state.clipTop:204} stays a key and its value.
     */
    static boolean isHostPort(String t) {
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || !isPortSuffix(t, colon)) {
            return false;
        }
        int slash = t.indexOf('/');
        if (slash > 0 && slash < colon) {
            return isHostName(t, 0, slash) && isIp(t.substring(slash, colon));
        }
        return isHostName(t, 0, colon);
    }

    private static boolean isHostName(String t, int from, int to) {
        if (from >= to || t.charAt(from) == '.' || t.charAt(from) == '-' || t.charAt(to - 1) == '.') {
            return false;
        }
        boolean marked = false;
        boolean afterDot = false;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c == '.') {
                if (t.charAt(i - 1) == '.') {
                    return false;
                }
                marked = true;
                afterDot = true;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                marked = true;
            } else if (c >= 'A' && c <= 'Z') {
                if (afterDot) {
                    return false;
                }
            } else if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return marked;
    }

    /**
     * A place in code as stack traces print it: a qualified method name and a line number
     * ({@code org.example.server.Worker.run:212}); a frame of a call stack is a value.
     */
    static boolean isCodeLocation(String t) {
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || !isPortSuffix(t, colon)) {
            return false;
        }
        int dots = 0;
        boolean start = true;
        for (int i = 0; i < colon; i++) {
            char c = t.charAt(i);
            if (c == '.') {
                if (start) {
                    return false;
                }
                dots++;
                start = true;
            } else if (Character.isJavaIdentifierPart(c)) {
                start = false;
            } else {
                return false;
            }
        }
        return !start && dots >= 2;
    }

    /** A URL: a scheme of letters, then {@code ://}. */
    static boolean isUrl(String t) {
        int at = t.indexOf("://");
        if (at <= 0 || at + 3 >= t.length()) {
            return false;
        }
        for (int i = 0; i < at; i++) {
            char c = t.charAt(i);
            if (!Character.isLetter(c) && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /**
     * Literal values that programs print for a boolean or a missing reference: {@code true}, {@code false},
     * {@code null} (any case). They are values of a variable, never the name of an event.
     */
    static boolean isLiteralValue(String t) {
        return t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false") || t.equalsIgnoreCase("null");
    }

    /**
     * A word joined to a number by dots or dashes ({@code core.6161}, {@code node-246},
     * {@code instruction......0}): the word names the thing and stays, the number is the value.
     */
    static String maskWordNumber(String t) {
        int n = t.length();
        int i = 0;
        // the word: letters, with single inner '-' or '_' between letters
        while (i < n) {
            int start = i;
            while (i < n && Character.isLetter(t.charAt(i))) {
                i++;
            }
            if (i == start) {
                return null;
            }
            if (i + 1 < n && (t.charAt(i) == '-' || t.charAt(i) == '_') && Character.isLetter(t.charAt(i + 1))) {
                i++;
                continue;
            }
            break;
        }
        int sep = i;
        while (i < n && (t.charAt(i) == '.' || t.charAt(i) == '-')) {
            i++;
        }
        if (i == sep || i == n) {
            return null;
        }
        for (int k = i; k < n; k++) {
            char c = t.charAt(k);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return t.substring(0, i) + WILDCARD;
    }

    static boolean isHex(String t) {
        int n = t.length();
        if (n > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')) {
            for (int i = 2; i < n; i++) {
                if (!isHexDigit(t.charAt(i))) {
                    return false;
                }
            }
            return true;
        }
        // long bare hex strings (ids, hashes, masks such as ffffffff): 8+ characters, with a digit or in one case
        if (n < 8) {
            return false;
        }
        boolean digit = false;
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            if (!isHexDigit(c)) {
                return false;
            }
            digit |= c <= '9';
            lower |= c >= 'a';
            upper |= c >= 'A' && c <= 'F';
        }
        return digit || lower != upper;
    }

    static boolean isNumber(String t) {
        int n = t.length();
        int i = 0;
        if (i < n && (t.charAt(i) == '-' || t.charAt(i) == '+')) {
            i++;
        }
        int digits = 0;
        boolean dot = false;
        for (; i < n; i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return false;
            }
        }
        return digits > 0;
    }

    /**
     * Paths: '/' followed by at least one more character ({@code /v2}, {@code /etc/hosts}, {@code /a/b/}), and
     * Windows paths ({@code C:\...}). A path is one value whatever its depth.
     */
    static boolean isPath(String t) {
        int n = t.length();
        if (n >= 3 && Character.isLetter(t.charAt(0)) && t.charAt(1) == ':' && t.charAt(2) == '\\') {
            return true;
        }
        return n >= 2 && t.charAt(0) == '/' && t.charAt(1) != '/';
    }

    private static final java.util.Set<String> DATE_WORDS = java.util.Set.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
            "Sun", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

    /** Abbreviated day and month names, as in embedded time stamps ("at Sat Jul 2 ..."). */
    static boolean isDateWord(String t) {
        return t.length() == 3 && DATE_WORDS.contains(t);
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Builds masking rules: start from the defaults and add or remove. */
    public static final class Builder {
        private final List<MaskingRule> tokenRules = new ArrayList<>();
        private final List<Pattern> regexRules = new ArrayList<>();
        private boolean digitTokens = true;
        private boolean keyValue = true;

        private Builder() {
            for (String n : builtInNames()) {
                tokenRules.add(builtIn(n));
            }
        }

        public Builder clearTokenRules() {
            tokenRules.clear();
            return this;
        }

        public Builder tokenRule(MaskingRule rule) {
            tokenRules.add(rule);
            return this;
        }

        /** Removes a token rule by name. */
        public Builder without(String name) {
            tokenRules.removeIf(r -> r.name().equalsIgnoreCase(name));
            return this;
        }

        /** Adds a regular expression whose matches in the message become {@code <*>}. */
        public Builder regex(String regex) {
            try {
                regexRules.add(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new AnomalogException("invalid masking pattern '" + regex + "': " + e.getDescription());
            }
            return this;
        }

        /** Whether a token that still contains a digit after the rules is a variable (default true). */
        public Builder digitTokens(boolean on) {
            this.digitTokens = on;
            return this;
        }

        /** Whether {@code key=value} tokens keep the key and mask only the value (default true). */
        public Builder keyValue(boolean on) {
            this.keyValue = on;
            return this;
        }

        public MaskingRules build() {
            return new MaskingRules(tokenRules, regexRules, digitTokens, keyValue);
        }
    }
}
