package io.anomalog.bench.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.eval.protocol.Split;
import io.anomalog.core.ingest.IngestPipeline;
import io.anomalog.core.log.LogFormat;
import io.anomalog.core.log.LogFormats;
import io.anomalog.core.log.LogReader;
import io.anomalog.core.log.LogRecord;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.template.MinerSettings;
import io.anomalog.core.template.ParsedEvent;
import io.anomalog.core.template.TemplateStore;
import io.anomalog.core.util.AnomalogException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * loghub's Hadoop container logs ({@code hadoop/raw}: one folder per application, one log per container) as a
 * protocol: a session is a container's log, labelled by its application's kind in {@code abnormal_label.txt}
 * (normal, machine down, network disconnection, disk full; every container of a failed application counts as
 * anomalous, as the labels are per application). The normal containers are split in half with the seed; Drain
 * learns templates from the training half's lines only, every line is then read as detection reads it, and the
 * methods train on the training half and judge the other normal containers and every anomalous one.
 */
public final class HadoopContainers {

    public static final String NAME = "hadoop-containers";
    static final String FOLDER = "hadoop/raw";
    static final String LABELS = "abnormal_label.txt";

    private final Map<String, String> kinds = new TreeMap<>();

    /** The kind of each judged container of the last {@link #load}: normal or its application's failure. */
    public Map<String, String> kinds() {
        return kinds;
    }

    /** Each application's kind from the label file: headings ending in ':' and lines "+ application_...". */
    static Map<String, String> applicationKinds(List<String> lines) {
        Map<String, String> out = new TreeMap<>();
        String kind = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.endsWith(":") && !line.startsWith("+")) {
                kind = line.substring(0, line.length() - 1).strip().toLowerCase(Locale.ROOT).replace(' ', '-');
            } else if (line.startsWith("+") && kind != null) {
                out.put(line.substring(1).strip(), kind);
            }
        }
        return out;
    }

    public Split load(DataDir data, long seed) {
        Path root = data.root().resolve(FOLDER);
        Path labelFile = data.file(FOLDER + "/" + LABELS);
        Map<String, String> apps;
        try {
            apps = applicationKinds(Files.readAllLines(labelFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (apps.isEmpty()) {
            throw new AnomalogException(labelFile + " names no application under a kind heading");
        }
        LogFormat format = LogFormats.byName("Hadoop");
        Map<String, List<LogRecord>> containers = new LinkedHashMap<>();
        Map<String, String> containerKind = new LinkedHashMap<>();
        int unlabelledApps = 0;
        long lines = 0;
        long empty = 0;
        long headerless = 0;
        List<Path> appDirs;
        try (Stream<Path> s = Files.list(root)) {
            appDirs = s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path app : appDirs) {
            String kind = apps.get(app.getFileName().toString());
            if (kind == null) {
                unlabelledApps++;
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(app)) {
                files = s.filter(f -> f.getFileName().toString().startsWith("container_")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (Path f : files) {
                String id = app.getFileName() + "/" + f.getFileName().toString().replaceFirst("\\.log(\\.gz)?$", "");
                List<LogRecord> records = new ArrayList<>();
                try (LogReader reader = LogReader.open(f, format)) {
                    reader.forEachRemaining(records::add);
                    lines += reader.stats().lines();
                    empty += reader.stats().emptyLines();
                    headerless += reader.stats().headerMismatches();
                }
                containers.put(id, records);
                containerKind.put(id, kind);
            }
        }
        List<String> normalIds = new ArrayList<>();
        containerKind.forEach((id, k) -> {
            if (k.equals("normal")) {
                normalIds.add(id);
            }
        });
        Collections.shuffle(normalIds, new Random(seed));
        Set<String> train = new HashSet<>(normalIds.subList(0, normalIds.size() / 2));

        TemplateStore store = new TemplateStore();
        IngestPipeline learn = IngestPipeline.builder(format).store(store).build();
        for (String id : train) {
            for (LogRecord r : containers.get(id)) {
                LogRecord admitted = learn.admit(r);
                if (admitted != null) {
                    learn.parse(admitted);
                }
            }
        }
        int learned = store.size();
        IngestPipeline detect = IngestPipeline.builder(format).store(store).mode(MinerSettings.Mode.DETECT).build();
        List<Sequence> training = new ArrayList<>();
        List<Sequence> test = new ArrayList<>();
        long unmatched = 0;
        long dropped = 0;
        int withoutEvents = 0;
        kinds.clear();
        for (Map.Entry<String, List<LogRecord>> c : containers.entrySet()) {
            List<ParsedEvent> events = new ArrayList<>();
            for (LogRecord r : c.getValue()) {
                LogRecord admitted = detect.admit(r);
                ParsedEvent e = admitted == null ? null : detect.parse(admitted);
                if (e == null) {
                    dropped++;
                    continue;
                }
                if (detect.isNewKey(e.templateId())) {
                    unmatched++;
                }
                events.add(e);
            }
            if (events.isEmpty()) {
                withoutEvents++;
            }
            int[] keys = events.stream().mapToInt(ParsedEvent::templateId).toArray();
            String kind = containerKind.get(c.getKey());
            Sequence s = new Sequence(c.getKey(), keys, kind.equals("normal") ? Label.NORMAL : Label.ANOMALOUS,
                    events);
            if (train.contains(c.getKey())) {
                training.add(s);
            } else {
                test.add(s);
                kinds.put(c.getKey(), kind);
            }
        }
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("folder", root.toString());
        notes.put("labels", LABELS);
        notes.put("applications", apps.size());
        notes.put("applicationsWithoutLabel", unlabelledApps);
        notes.put("containers", containers.size());
        Map<String, Integer> perKind = new TreeMap<>();
        containerKind.values().forEach(k -> perKind.merge(k, 1, Integer::sum));
        notes.put("containersPerKind", perKind);
        notes.put("lines", lines);
        notes.put("emptyLines", empty);
        // lines whose header does not fit the format (stack traces, wrapped messages): parsed as their text
        notes.put("linesWithoutHeader", headerless);
        notes.put("recordsNotParsed", dropped);
        notes.put("containersWithoutEvents", withoutEvents);
        notes.put("learnedTemplates", learned);
        notes.put("unmatchedLines", unmatched);
        notes.put("trainSessions", training.size());
        notes.put("testNormal", test.stream().filter(s -> s.label() == Label.NORMAL).count());
        notes.put("testAnomalous", test.stream().filter(s -> s.label() == Label.ANOMALOUS).count());
        return new Split(NAME, training, List.of(), test, null, 0, notes);
    }
}
