package io.anomalog.ml.deeplog.parameter;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The trained parameter model of one key, as saved.
 *
 * @param key               the log key
 * @param kind              {@link #LSTM} or {@link #GAUSSIAN}
 * @param trainingVectors   vectors the model learned from
 * @param validationVectors held-out vectors its errors were fitted on ({@code lstm}) or 0
 * @param errorMean         lstm: mean of the validation prediction errors (mean squared error per vector)
 * @param errorSd           lstm: their standard deviation
 * @param residualSd        lstm: root mean square of the validation residual per dimension (normalised units), by
 *                          which an observed value's distance from the prediction is counted in deviations
 * @param epochsRun         lstm: epochs trained
 * @param bestEpoch         lstm: the epoch whose parameters were kept (lowest validation loss)
 * @param network           lstm: the network's parameters (DJL's {@code saveParameters} bytes, Base64)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyModel(int key, String kind, long trainingVectors, long validationVectors, Double errorMean,
                       Double errorSd, double[] residualSd, Integer epochsRun, Integer bestEpoch, String network) {

    /** An LSTM predicts the vector; its error is judged against a Gaussian of validation errors. */
    public static final String LSTM = "lstm";
    /** Too few vectors for a network: each normalised dimension is judged against the standard normal. */
    public static final String GAUSSIAN = "gaussian";

    @JsonIgnore
    public boolean isLstm() {
        return LSTM.equals(kind);
    }
}
