package io.anomalog.bench.parse;

import io.anomalog.core.util.AnomalogException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of a loghub ground truth ({@code *_structured.csv}): its line number in the raw log, content, event id
 * and template.
 */
public record TruthLine(long lineId, String content, String eventId, String template) {

    /** Reads a loghub structured CSV (LineId, Content, EventId, EventTemplate columns). */
    public static List<TruthLine> read(Path csv) {
        List<List<String>> rows = Csv.readFile(csv);
        int[] c = Csv.columns(rows, csv, "LineId", "Content", "EventId", "EventTemplate");
        int line = c[0];
        int content = c[1];
        int id = c[2];
        int template = c[3];
        int need = Math.max(Math.max(line, content), Math.max(id, template));
        List<TruthLine> out = new ArrayList<>(rows.size());
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() <= need) {
                throw new AnomalogException(csv + ": row " + (out.size() + 1) + " has " + row.size() + " columns");
            }
            long lineId;
            try {
                lineId = Long.parseLong(row.get(line).strip());
            } catch (NumberFormatException e) {
                throw new AnomalogException(csv + ": bad LineId '" + row.get(line) + "'");
            }
            out.add(new TruthLine(lineId, row.get(content), row.get(id), row.get(template)));
        }
        return out;
    }
}
