package io.anomalog.bench.parse;

import io.anomalog.core.io.TextFiles;
import io.anomalog.core.util.AnomalogException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads RFC 4180 CSV (quoted fields with doubled quotes and embedded newlines), as the loghub files use. */
final class Csv {

    private Csv() {
    }

    /** The rows of a CSV file with a header row; a missing, unreadable or empty file is an AnomalogException. */
    static List<List<String>> readFile(Path csv) {
        List<List<String>> rows;
        try (BufferedReader r = TextFiles.reader(csv)) {
            rows = read(r);
        } catch (IOException e) {
            throw new AnomalogException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new AnomalogException(csv + " is empty");
        }
        return rows;
    }

    static List<List<String>> read(BufferedReader in) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int ch;
        while ((ch = in.read()) >= 0) {
            char c = (char) ch;
            any = true;
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int n = in.read();
                    if (n == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (n >= 0) {
                            in.reset();
                        }
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                any = false;
            } else if (c != '\r') {
                field.append(c);
            }
        }
        if (any) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
