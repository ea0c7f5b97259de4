package io.anomalog.core.data;

import io.anomalog.core.io.TextFiles;
import io.anomalog.core.session.Label;
import io.anomalog.core.util.AnomalogException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Labels of sessions by id, from a CSV file such as loghub's {@code anomaly_label.csv}: rows {@code id,label} (a
 * header row is skipped), label {@code Anomaly}/{@code Normal}, {@code 1}/{@code 0} or {@code anomalous}/
 * {@code normal}; further columns are ignored.
 */
public final class SessionLabels {

    private SessionLabels() {
    }

    /** @throws AnomalogException naming the line of a row that is not {@code id,label} */
    public static Map<String, Label> read(Path file) {
        Map<String, Label> out = new HashMap<>();
        try (BufferedReader r = TextFiles.reader(file)) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                String[] f = line.split(",", -1);
                if (f.length < 2) {
                    if (!line.isBlank()) {
                        throw new AnomalogException(file + ":" + n + ": expected id,label");
                    }
                    continue;
                }
                String v = f[1].strip().toLowerCase(Locale.ROOT);
                Label l = switch (v) {
                    case "anomaly", "anomalous", "abnormal", "1" -> Label.ANOMALOUS;
                    case "normal", "0" -> Label.NORMAL;
                    default -> null;
                };
                if (l == null) {
                    if (n == 1) {
                        continue; // header
                    }
                    throw new AnomalogException(file + ":" + n + ": label '" + f[1] + "' is not Anomaly/Normal/1/0");
                }
                out.put(f[0].strip(), l);
            }
        } catch (IOException e) {
            throw new AnomalogException("cannot read labels " + file + ": " + e.getMessage());
        }
        return out;
    }
}
