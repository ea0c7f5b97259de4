package io.anomalog.core.template;

import io.anomalog.core.log.LogRecord;

import java.util.List;

/**
 * A log record with its log key: the id and text of the template it belongs to, and the parameter values that
 * fill the template's wildcards, in order.
 */
public record ParsedEvent(LogRecord record, int templateId, String template, List<String> parameters) {

    public ParsedEvent {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }
}
