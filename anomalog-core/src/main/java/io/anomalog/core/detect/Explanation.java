package io.anomalog.core.detect;

/**
 * Why a detector judged a sequence as it did. Implementations are records that Jackson can write as JSON
 * (that is what {@code anomalog detect} and the {@code anomalies} topic carry); {@link #summary()} is the one
 * line a person reads first.
 */
public interface Explanation {

    String summary();
}
