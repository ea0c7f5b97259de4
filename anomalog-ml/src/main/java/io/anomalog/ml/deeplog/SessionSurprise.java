package io.anomalog.ml.deeplog;

/**
 * How surprising a session is to a trained DeepLog model, whatever the decision rule: the worst 1-based rank of an
 * observed key among the predicted next keys ({@link Integer#MAX_VALUE} for a key the model can never predict, such
 * as one never seen in training), and the lowest probability the model gave to an observed key.
 *
 * @param worstRank          the largest rank of an observed key (1 = the most probable key); 0 when nothing was
 *                           judged
 * @param lowestProbability  the lowest probability of an observed key; 1 when nothing was judged
 */
public record SessionSurprise(int worstRank, double lowestProbability) {

    /** An empty session: nothing to judge, never anomalous. */
    public static final SessionSurprise NOTHING_JUDGED = new SessionSurprise(0, 1.0);

    /** Whether the top-g rule flags the session: some observed key is not among the g most probable. */
    public boolean flaggedAtTopG(int g) {
        return worstRank > g;
    }

    /**
     * Whether the probability rule flags the session: some observed key had a probability below the threshold (a
     * key the model can never predict always counts).
     */
    public boolean flaggedBelow(double threshold) {
        return worstRank == Integer.MAX_VALUE || lowestProbability < threshold;
    }
}
