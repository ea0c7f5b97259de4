package io.anomalog.bench.parse;

import io.anomalog.core.util.AnomalogException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code anomalog parse} wrote, read back for scoring: {@code PREFIX_structured.csv} (LineId, EventId,
 * EventTemplate, ParameterList) and {@code PREFIX_templates.csv} (EventId, EventTemplate, MergedInto). A line's
 * group is its EventId, or the id it was merged into later; its template the final text of that template (the
 * loghub convention: the template a group ends with), or the text written with the line when the template was
 * evicted; its parameters the list written for the line.
 */
public final class CommandOutput {

    private CommandOutput() {
    }

    /** One prediction per true line, matched by LineId; null where the output has no row for the line. */
    public static List<GroupingMetrics.Prediction> read(Path structuredCsv, Path templatesCsv, List<TruthLine> truth) {
        Map<String, String> finalText = new HashMap<>();
        Map<String, String> mergedInto = new HashMap<>();
        List<List<String>> templates = Csv.readFile(templatesCsv);
        int[] tc = Csv.columns(templates, templatesCsv, "EventId", "EventTemplate");
        int tid = tc[0];
        int ttext = tc[1];
        int tmerged = templates.get(0).indexOf("MergedInto");
        for (List<String> row : templates.subList(1, templates.size())) {
            String into = tmerged >= 0 && tmerged < row.size() ? row.get(tmerged) : "";
            if (into.isEmpty()) {
                finalText.put(row.get(tid), row.get(ttext));
            } else {
                mergedInto.put(row.get(tid), into);
            }
        }
        List<List<String>> rows = Csv.readFile(structuredCsv);
        int[] c = Csv.columns(rows, structuredCsv, "LineId", "EventId", "EventTemplate", "ParameterList");
        int line = c[0];
        int id = c[1];
        int template = c[2];
        int params = c[3];
        Map<Long, GroupingMetrics.Prediction> byLine = new HashMap<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            long lineId = Long.parseLong(row.get(line));
            String eventId = row.get(id);
            if (!eventId.startsWith("E")) {
                throw new AnomalogException(structuredCsv + ": line " + lineId + " has EventId '" + eventId + "'");
            }
            String group = mergedInto.getOrDefault(eventId, eventId);
            String text = finalText.getOrDefault(group, row.get(template));
            byLine.put(lineId, new GroupingMetrics.Prediction(group, text, pythonList(row.get(params))));
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
