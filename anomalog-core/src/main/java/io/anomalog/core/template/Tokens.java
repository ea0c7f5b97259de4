package io.anomalog.core.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Whitespace tokenising and parameter extraction, written by hand because they run on every line. */
final class Tokens {

    private static final String[] EMPTY = new String[0];

    private Tokens() {
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** Splits on runs of whitespace; no empty tokens. */
    static String[] split(String s) {
        int n = s.length();
        if (s.indexOf('\t') < 0 && s.indexOf('\r') < 0 && s.indexOf('\n') < 0 && s.indexOf('\f') < 0
                && s.indexOf(0x0B) < 0) {
            return splitSpaces(s, n);
        }
        String[] out = new String[16];
        int count = 0;
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) {
                i++;
            }
            if (count == out.length) {
                out = Arrays.copyOf(out, count * 2);
            }
            out[count++] = s.substring(start, i);
        }
        return count == 0 ? EMPTY : Arrays.copyOf(out, count);
    }

    /** Split on spaces only, with the vectorised {@link String#indexOf(int, int)}. */
    private static String[] splitSpaces(String s, int n) {
        String[] out = new String[16];
        int count = 0;
        int i = 0;
        while (i < n) {
            if (s.charAt(i) == ' ') {
                i++;
                continue;
            }
            int end = s.indexOf(' ', i);
            if (end < 0) {
                end = n;
            }
            if (count == out.length) {
                out = Arrays.copyOf(out, count * 2);
            }
            out[count++] = s.substring(i, end);
            i = end + 1;
        }
        return count == 0 ? EMPTY : Arrays.copyOf(out, count);
    }

    static String join(String[] tokens) {
        if (tokens.length == 0) {
            return "";
        }
        int len = tokens.length - 1;
        for (String t : tokens) {
            len += t.length();
        }
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < tokens.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(tokens[i]);
        }
        return sb.toString();
    }

    /**
     * The values of the wildcards of a template token in a raw token: literal pieces of the template token are
     * matched left to right, each wildcard takes what lies between them. When the raw token does not fit, the whole
     * raw token is the value of the first wildcard and the others are empty.
     */
    static void extract(String templateToken, String raw, List<String> out) {
        if (templateToken.equals(MaskingRules.WILDCARD)) {
            out.add(raw);
            return;
        }
        int first = templateToken.indexOf(MaskingRules.WILDCARD);
        if (first < 0) {
            return;
        }
        List<String> pieces = new ArrayList<>(4);
        int from = 0;
        int at;
        while ((at = templateToken.indexOf(MaskingRules.WILDCARD, from)) >= 0) {
            pieces.add(templateToken.substring(from, at));
            from = at + 3;
        }
        pieces.add(templateToken.substring(from));
        int wild = pieces.size() - 1;
        int size = out.size();
        if (!matchPieces(pieces, raw, out)) {
            while (out.size() > size) {
                out.remove(out.size() - 1);
            }
            out.add(raw);
            for (int i = 1; i < wild; i++) {
                out.add("");
            }
        }
    }

    /**
     * Matches literal pieces (first is a prefix, last a suffix) lazily against text, adding what the wildcards
     * between them cover. Used per token and, with regex masking, over a whole message.
     */
    static boolean matchPieces(List<String> pieces, String text, List<String> out) {
        String first = pieces.get(0);
        String last = pieces.get(pieces.size() - 1);
        if (!text.startsWith(first) || text.length() < first.length() + last.length() || !text.endsWith(last)) {
            return false;
        }
        int pos = first.length();
        int end = text.length() - last.length();
        for (int p = 1; p < pieces.size() - 1; p++) {
            String piece = pieces.get(p);
            int at = piece.isEmpty() ? pos : text.indexOf(piece, pos);
            if (at < 0 || at + piece.length() > end) {
                return false;
            }
            out.add(text.substring(pos, at));
            pos = at + piece.length();
        }
        out.add(text.substring(pos, end));
        return true;
    }
}
