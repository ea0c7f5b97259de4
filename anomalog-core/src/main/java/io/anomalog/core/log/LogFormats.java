package io.anomalog.core.log;

import io.anomalog.core.util.AnomalogException;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The named log formats: header formats of the loghub systems (the same specs as the logparser benchmark),
 * {@code raw} (the whole line is the content), {@code filebeat} and {@code json} (JSON lines), plus custom
 * formats from a regular expression, a loghub-style spec or a small config file.
 */
public final class LogFormats {

    /** Header specs of the loghub systems, as written in the logparser benchmark settings. */
    private static final Map<String, String> SPECS = new LinkedHashMap<>();

    static {
        SPECS.put("HDFS", "<Date> <Time> <Pid> <Level> <Component>: <Content>");
        SPECS.put("Hadoop", "<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>");
        SPECS.put("Spark", "<Date> <Time> <Level> <Component>: <Content>");
        SPECS.put("Zookeeper", "<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>");
        SPECS.put("BGL", "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>");
        SPECS.put("HPC", "<LogId> <Node> <Component> <State> <Time> <Flag> <Content>");
        SPECS.put("Thunderbird", "<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\\[<PID>\\])?: <Content>");
        SPECS.put("Windows", "<Date> <Time>, <Level>                  <Component>    <Content>");
        SPECS.put("Linux", "<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>");
        SPECS.put("Android", "<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>");
        SPECS.put("HealthApp", "<Time>\\|<Component>\\|<Pid>\\|<Content>");
        SPECS.put("Apache", "\\[<Time>\\] \\[<Level>\\] <Content>");
        SPECS.put("Proxifier", "\\[<Time>\\] <Program> - <Content>");
        SPECS.put("OpenSSH", "<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>");
        SPECS.put("OpenStack", "<Logrecord> <Date> <Time> <Pid> <Level> <Component> \\[<ADDR>\\] <Content>");
        SPECS.put("Mac", "<Month>  <Date> <Time> <User> <Component>\\[<PID>\\]( \\(<Address>\\))?: <Content>");
    }

    /**
     * How each preset's timestamp text reads (its time fields joined by a space: Timestamp alone when the header has
     * one, else Month, Date, Day and Time in that order). Years missing from the text read as
     * {@link TimeReader#DEFAULT_YEAR}.
     */
    private static final Map<String, String> TIMES = Map.ofEntries(
            Map.entry("HDFS", "yyMMdd HHmmss"),
            Map.entry("Hadoop", "yyyy-MM-dd HH:mm:ss,SSS"),
            Map.entry("Spark", "yy/MM/dd HH:mm:ss"),
            Map.entry("Zookeeper", "yyyy-MM-dd HH:mm:ss,SSS"),
            Map.entry("BGL", "epoch"),
            Map.entry("HPC", "epoch"),
            Map.entry("Thunderbird", "epoch"),
            Map.entry("Windows", "yyyy-MM-dd HH:mm:ss"),
            Map.entry("Linux", "MMM d HH:mm:ss"),
            Map.entry("Android", "MM-dd HH:mm:ss.SSS"),
            Map.entry("HealthApp", "yyyyMMdd-HH:mm:ss:SSS"),
            Map.entry("Apache", "EEE MMM dd HH:mm:ss yyyy"),
            Map.entry("Proxifier", "MM.dd HH:mm:ss"),
            Map.entry("OpenSSH", "MMM d HH:mm:ss"),
            Map.entry("OpenStack", "yyyy-MM-dd HH:mm:ss.SSS"),
            Map.entry("Mac", "MMM d HH:mm:ss"));

    private LogFormats() {
    }

    /** The loghub systems with a preset, in benchmark order. */
    public static List<String> systems() {
        return List.copyOf(SPECS.keySet());
    }

    /** The loghub-style header spec of a system preset. */
    public static String spec(String system) {
        String key = canonical(system);
        if (key == null || !SPECS.containsKey(key)) {
            throw unknown(system);
        }
        return SPECS.get(key);
    }

    /** All names {@link #byName} accepts. */
    public static List<String> names() {
        var names = new java.util.ArrayList<String>();
        SPECS.keySet().forEach(s -> names.add(s.toLowerCase(Locale.ROOT)));
        names.add("raw");
        names.add("filebeat");
        names.add("json");
        return Collections.unmodifiableList(names);
    }

    /**
     * A format by name (case-insensitive): a loghub system ({@code hdfs}, {@code bgl}, ...), {@code raw},
     * {@code filebeat} or {@code json} (message in field {@code message}).
     *
     * @throws AnomalogException naming the known formats when the name is unknown
     */
    public static LogFormat byName(String name) {
        if (name == null) {
            throw unknown("null");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "raw":
                return raw();
            case "filebeat":
                return JsonFormat.filebeat();
            case "json":
                return json("message");
            default:
                break;
        }
        String key = canonical(name);
        if (key == null) {
            throw unknown(name);
        }
        return HeaderFormat.of(lower, SPECS.get(key), TimeReader.of(TIMES.get(key)));
    }

    /** The timestamp layout of a system preset ({@code yyMMdd HHmmss} for HDFS, {@code epoch} for BGL). */
    public static String timestampFormat(String system) {
        String key = canonical(system);
        if (key == null) {
            throw unknown(system);
        }
        return TIMES.get(key);
    }

    /** A custom format from a Java regular expression with named groups, one named {@code content}. */
    public static LogFormat regex(String regex) {
        return RegexFormat.of(regex);
    }

    /** A custom loghub-style header format, e.g. {@code <Date> <Time> <Level> <Content>}. */
    public static LogFormat header(String spec) {
        return HeaderFormat.of("custom", spec);
    }

    /** Generic JSON lines with the message in {@code messageField} (dotted paths reach nested objects). */
    public static LogFormat json(String messageField) {
        if (messageField == null || messageField.isBlank()) {
            throw new AnomalogException("the JSON message field name is empty");
        }
        return JsonFormat.withMessageField(messageField);
    }

    /** The whole line is the content. */
    public static LogFormat raw() {
        return HeaderFormat.of("raw", "<Content>");
    }

    /** A format from a config file; see {@link FormatSpec#load(Path)}. */
    public static LogFormat load(Path file) {
        return FormatSpec.load(file).resolve();
    }

    private static String canonical(String name) {
        for (String s : SPECS.keySet()) {
            if (s.equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }

    private static AnomalogException unknown(String name) {
        return new AnomalogException("unknown log format '" + name + "'; known formats: " + String.join(", ", names())
                + " (or give --regex / --header for a custom one)");
    }
}
