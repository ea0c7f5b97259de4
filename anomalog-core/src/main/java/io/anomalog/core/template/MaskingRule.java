package io.anomalog.core.template;

/**
 * Recognises one kind of variable value (an IP address, a number, a block id ...) in a token and says how it is
 * written in the template. Rules are hand-written scanners, not regular expressions, because they run on every
 * token of every line.
 */
public interface MaskingRule {

    /** Short name used in docs and configs ({@code ip}, {@code number}, ...). */
    String name();

    /**
     * The template form of {@code token} when this rule recognises it (usually {@code <*>}, or e.g.
     * {@code blk_<*>}), else null. The token has surrounding punctuation already removed.
     */
    String mask(String token);

    /** True when the rule can only match tokens with a digit; lets the masker skip it for plain words. */
    default boolean needsDigit() {
        return false;
    }
}
