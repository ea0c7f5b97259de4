package io.anomalog.ml.deeplog.parameter;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One event whose parameter values the model of its key found anomalous.
 *
 * @param position   1-based position of the event in the sequence
 * @param key        its log key
 * @param template   its template text, when known
 * @param model      {@link KeyModel#LSTM} or {@link KeyModel#GAUSSIAN}
 * @param dimensions names of the vector's dimensions ({@code p2} = the template's second parameter)
 * @param observed   the observed values, in the parameters' units (seconds for the time)
 * @param predicted  what the model predicted (lstm) or the key's training mean (gaussian), same units
 * @param deviations per dimension, how many deviations the observed value lies from the prediction
 * @param error      the vector's error: mean squared error (lstm) or largest absolute deviation (gaussian)
 * @param threshold  the bound the error passed
 * @param line       the log line of the event, when known
 * @param lineNumber its line number, when known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParameterFinding(int position, int key, String template, String model, List<String> dimensions,
                               double[] observed, double[] predicted, double[] deviations, double error,
                               double threshold, String line, Long lineNumber) {
}
