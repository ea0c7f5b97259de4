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

    /** The positions of the named columns in the header row; a missing one is an AnomalogException. */
    static int[] columns(List<List<String>> rows, Path csv, String... names) {
        List<String> header = rows.get(0);
        int[] out = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = header.indexOf(names[i]);
            if (out[i] < 0) {
                throw new AnomalogException(csv + " has no " + names[i] + " column (needs " + String.join(", ", names)
                        + ")");
            }
        }
        return out;
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
