package io.anomalog.ml.deeplog;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.anomalog.core.detect.Explanation;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Why DeepLog flagged a session: which events had a key outside the top-g predictions, with the history the
 * prediction was made from, what was observed and what was expected.
 *
 * @param anomalousEvents how many predictions in the session failed
 * @param judgedEvents    how many predictions were made (events after the first h, plus padding)
 * @param topG            g, the number of candidates an observed key had to be among
 * @param events          the first failed predictions in session order (at most a few)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeepLogExplanation(int anomalousEvents, int judgedEvents, int topG, List<UnexpectedEvent> events)
        implements Explanation {

    /** Template text shown for the padding token: the session ended here. */
    public static final String END_OF_SESSION = "<end of session>";
    /** Template text shown for a key the model never saw in training. */
    public static final String UNKNOWN_KEY = "<key never seen in training>";

    /**
     * One failed prediction.
     *
     * @param position            1-based position of the event in the session ({@code length + 1} for the end)
     * @param history             the h preceding raw keys (null = padding)
     * @param observedKey         the raw key that came (null = end of session)
     * @param observedTemplate    its template text, when known
     * @param observedProbability the probability the model gave it (0 for an unknown key)
     * @param observedRank        its 1-based rank among the predictions (g + 1 or worse)
     * @param expected            the top-g predictions, most probable first
     * @param line                the log line of the event, when the session came from text
     * @param lineNumber          its line number in the source, when known
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UnexpectedEvent(int position, List<Integer> history, Integer observedKey, String observedTemplate,
                                  double observedProbability, int observedRank, List<Candidate> expected,
                                  String line, Long lineNumber) {
    }

    /**
     * One predicted next key.
     *
     * @param key         raw key (null = end of session)
     * @param probability its predicted probability
     * @param template    its template text, when known
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Candidate(Integer key, double probability, String template) {
    }

    @Override
    public String summary() {
        if (events.isEmpty()) {
            return "no unexpected event";
        }
        UnexpectedEvent e = events.get(0);
        String observed = e.observedKey() == null ? "end of session" : "key " + e.observedKey();
        // the most likely key with its template text (what should have come), then the next two by number
        List<Candidate> top = e.expected().stream().limit(3).toList();
        String expected = java.util.stream.IntStream.range(0, top.size()).mapToObj(i -> {
            Candidate c = top.get(i);
            String text = i == 0 && c.template() != null ? " '" + c.template() + "'" : "";
            return (c.key() == null ? "end" : String.valueOf(c.key())) + text
                    + String.format(Locale.ROOT, " (p=%.3f)", c.probability());
        }).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%d of %d events unexpected; first at event %d: %s%s not in top-%d "
                        + "(rank %d, p=%.2g); expected %s", anomalousEvents, judgedEvents, e.position(), observed,
                e.observedTemplate() == null ? "" : " '" + e.observedTemplate() + "'", topG, e.observedRank(),
                e.observedProbability(), expected);
    }
}
