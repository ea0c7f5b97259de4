package io.anomalog.core.template;

import io.anomalog.core.log.LogRecord;

import java.util.Optional;

/**
 * Turns log records into log keys. {@link #add} learns (it may create or generalise templates);
 * {@link #match} only looks up, which is what detection uses when the template set must stay fixed.
 */
public interface TemplateMiner {

    /** Parses the record, creating or generalising a template when needed. */
    ParsedEvent add(LogRecord record);

    /** Parses the record against the known templates only; empty when none fits. */
    Optional<ParsedEvent> match(LogRecord record);
}
