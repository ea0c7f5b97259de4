package io.anomalog.stream.testing;

import io.anomalog.core.log.LogRecord;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateMiner;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Test double: a template is the content with every token holding a digit masked; ids count from 1. */
public final class MaskingMiner implements TemplateMiner {

    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger(1);

    public static String mask(String content) {
        return content.replaceAll("\\S*\\d\\S*", "<*>");
    }

    /** Pre-registers templates with fixed ids (as a model's template store would). */
    public MaskingMiner known(String template, int id) {
        ids.put(template, id);
        next.set(Math.max(next.get(), id + 1));
        return this;
    }

    @Override
    public ParsedEvent add(LogRecord record) {
        String t = mask(record.content());
        int id = ids.computeIfAbsent(t, k -> next.getAndIncrement());
        return new ParsedEvent(record, id, t, List.of());
    }

    @Override
    public Optional<ParsedEvent> match(LogRecord record) {
        String t = mask(record.content());
        Integer id = ids.get(t);
        return id == null ? Optional.empty() : Optional.of(new ParsedEvent(record, id, t, List.of()));
    }
}
