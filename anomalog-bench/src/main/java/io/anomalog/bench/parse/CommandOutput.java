package io.anomalog.bench.parse;

import io.anomalog.core.io.TextFiles;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.AnomalogException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code anomalog parse} wrote, read back for scoring: {@code PREFIX_structured.csv} (LineId, EventId,
 * EventTemplate, ParameterList) and the template store it saved. A line's group is its EventId with merged ids
 * resolved through the store, its template the final text of that template (the loghub convention: the template
 * a group ends with), its parameters the list written for the line.
 */
public final class CommandOutput {

    private CommandOutput() {
    }

    /** One prediction per true line, matched by LineId; null where the output has no row for the line. */
    public static List<GroupingMetrics.Prediction> read(Path structuredCsv, Path storeFile, List<TruthLine> truth) {
        TemplateStore store = TemplateStore.load(storeFile);
        List<List<String>> rows;
        try (BufferedReader r = TextFiles.reader(structuredCsv)) {
            rows = Csv.read(r);
        } catch (IOException e) {
            throw new AnomalogException("cannot read " + structuredCsv + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new AnomalogException(structuredCsv + " is empty");
        }
        List<String> header = rows.get(0);
        int line = header.indexOf("LineId");
        int id = header.indexOf("EventId");
        int template = header.indexOf("EventTemplate");
        int params = header.indexOf("ParameterList");
        if (line < 0 || id < 0 || template < 0 || params < 0) {
            throw new AnomalogException(structuredCsv + " has no LineId/EventId/EventTemplate/ParameterList columns");
        }
        Map<Long, GroupingMetrics.Prediction> byLine = new HashMap<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            long lineId = Long.parseLong(row.get(line));
            String eventId = row.get(id);
            if (!eventId.startsWith("E")) {
                throw new AnomalogException(structuredCsv + ": line " + lineId + " has EventId '" + eventId + "'");
            }
            int resolved = store.resolve(Integer.parseInt(eventId.substring(1)));
            String text = store.get(resolved).map(TemplateStore.Entry::text).orElse(row.get(template));
            byLine.put(lineId, new GroupingMetrics.Prediction("E" + resolved, text, pythonList(row.get(params))));
        }
        List<GroupingMetrics.Prediction> out = new ArrayList<>(truth.size());
        for (TruthLine t : truth) {
            out.add(byLine.get(t.lineId()));
        }
        return out;
    }

    /** Reads a list written as loghub's ParameterList column: {@code ['a', 'b\'c']}. */
    static List<String> pythonList(String s) {
        String t = s.strip();
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new AnomalogException("not a parameter list: " + s);
        }
        List<String> out = new ArrayList<>();
        int i = 1;
        int end = t.length() - 1;
        while (i < end) {
            char c = t.charAt(i);
            if (c == ' ' || c == ',') {
                i++;
                continue;
            }
            if (c != '\'') {
                throw new AnomalogException("not a parameter list: " + s);
            }
            StringBuilder v = new StringBuilder();
            i++;
            while (i < end && t.charAt(i) != '\'') {
                if (t.charAt(i) == '\\' && i + 1 < end) {
                    i++;
                }
                v.append(t.charAt(i++));
            }
            if (i >= end) {
                throw new AnomalogException("unterminated value in parameter list: " + s);
            }
            out.add(v.toString());
            i++;
        }
        return out;
    }
}
