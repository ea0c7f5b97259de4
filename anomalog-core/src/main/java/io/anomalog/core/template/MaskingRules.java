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

    /** The names of the built-in token rules. */
    public static List<String> builtInNames() {
        return List.of("number", "ip", "blockid", "hex", "uuid", "path", "datetime");
    }

    /** A built-in token rule by name. */
    public static MaskingRule builtIn(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "blockid":
                return rule("blockid", true, MaskingRules::maskBlockId);
            case "uuid":
                return rule("uuid", true, t -> isUuid(t) ? WILDCARD : null);
            case "ip":
                return rule("ip", true, MaskingRules::maskIp);
            case "hex":
                return rule("hex", true, t -> isHex(t) ? WILDCARD : null);
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
     * {@link #isSpecial special} character (the tokeniser found that out on its way) and its core is not three
     * characters long (day and month names). Lets the tokeniser skip copying plain words.
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
        return e - s == 3;
    }

    /** Characters that some built-in rule needs: digits, path separators, '=' and '<' (of a wildcard). */
    static boolean isSpecial(char c) {
        return (c >= '0' && c <= '9') || c == '/' || c == '\\' || c == '=' || c == '<';
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

    private String maskCore(String core) {
        boolean digit = hasDigit(core, 0, core.length());
        for (MaskingRule r : tokenRules) {
            if (!digit && r.needsDigit()) {
                continue;
            }
            String m = r.mask(core);
            if (m != null) {
                return m;
            }
        }
        if (keyValue) {
            int eq = core.indexOf('=');
            if (eq > 0 && eq < core.length() - 1 && !hasDigit(core, 0, eq)) {
                String value = core.substring(eq + 1);
                String m = maskCore(value);
                if (m == null && digitTokens && hasDigit(value, 0, value.length())) {
                    m = WILDCARD;
                }
                return m == null ? null : core.substring(0, eq + 1) + m;
            }
        }
        if (digitTokens && digit && !core.contains(WILDCARD)) {
            return WILDCARD;
        }
        return null;
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

    static String maskBlockId(String t) {
        if (!t.startsWith("blk_")) {
            return null;
        }
        int i = 4;
        if (i < t.length() && t.charAt(i) == '-') {
            i++;
        }
        if (i >= t.length()) {
            return null;
        }
        for (; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        return "blk_" + WILDCARD;
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

    /** IPv4 with optional port; a leading '/' (Java's InetAddress form) stays in the template. */
    static String maskIp(String t) {
        int start = t.startsWith("/") ? 1 : 0;
        int i = start;
        int n = t.length();
        for (int part = 0; part < 4; part++) {
            int digits = 0;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9' && digits < 4) {
                i++;
                digits++;
            }
            if (digits == 0) {
                return null;
            }
            if (part < 3) {
                if (i >= n || t.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        if (i < n && t.charAt(i) == ':') {
            i++;
            int digits = 0;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
                digits++;
            }
            if (digits == 0) {
                return null;
            }
        }
        if (i != n) {
            return null;
        }
        return start == 1 ? "/" + WILDCARD : WILDCARD;
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
        // long bare hex strings with at least one digit (ids, hashes): 8+ characters
        if (n < 8) {
            return false;
        }
        boolean digit = false;
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            if (!isHexDigit(c)) {
                return false;
            }
            digit |= c <= '9';
        }
        return digit;
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

    /** Absolute paths with at least two segments ({@code /a/b}), and Windows paths ({@code C:\...}). */
    static boolean isPath(String t) {
        int n = t.length();
        if (n >= 3 && Character.isLetter(t.charAt(0)) && t.charAt(1) == ':' && t.charAt(2) == '\\') {
            return true;
        }
        if (n < 3 || t.charAt(0) != '/') {
            return false;
        }
        return t.indexOf('/', 1) > 1;
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
