package io.anomalog.core.eval.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.data.KeySequenceReader;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.eval.ConfusionMatrix;
import io.anomalog.core.eval.F1Ceiling;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * {@code bgl-supervised}: labelled BGL key windows of logdeep ({@code bgl/logdeep_windows}, the first tenth of
 * its test files: 223,811 normal and 11,861 anomalous lines of 21 keys). Each class is shuffled by seed and cut
 * 60% / 20% / 20% into train / validation / test, so all three keep the natural 5% anomaly rate. Unit: one line
 * (a 21-key window). Lines repeat heavily in the source; identical lines can fall into both train and test, and
 * the notes report how many test lines also occur in training. Keys are the 0-based ids of
 * {@code templates.csv}.
 */
public final class BglSupervisedProtocol implements Protocol {

    static final String DIR = "bgl/logdeep_windows/";
    static final String NORMAL = DIR + "bgl_test_normal_part1of10.gz";
    static final String ABNORMAL = DIR + "bgl_test_abnormal_part1of10.gz";
    static final String TEMPLATES = DIR + "templates.csv";

    @Override
    public String name() {
        return "bgl-supervised";
    }

    @Override
    public String description() {
        return "BGL logdeep key windows (part 1 of 10: 223,811 normal, 11,861 anomalous lines of 21 keys), each "
                + "class split 60/20/20 into train/validation/test by seed; unit = line; duplicates kept";
    }

    @Override
    public Split load(DataDir data, long seed) {
        List<Sequence> normal = KeySequenceReader.read(data.file(NORMAL), Label.NORMAL).sequences();
        List<Sequence> abnormal = KeySequenceReader.read(data.file(ABNORMAL), Label.ANOMALOUS).sequences();
        List<Sequence> train = new ArrayList<>();
        List<Sequence> validation = new ArrayList<>();
        List<Sequence> test = new ArrayList<>();
        Random random = new Random(seed);
        for (List<Sequence> group : List.of(normal, abnormal)) {
            List<Sequence> shuffled = new ArrayList<>(group);
            Collections.shuffle(shuffled, random);
            int a = (int) Math.round(shuffled.size() * 0.6);
            int b = (int) Math.round(shuffled.size() * 0.8);
            train.addAll(shuffled.subList(0, a));
            validation.addAll(shuffled.subList(a, b));
            test.addAll(shuffled.subList(b, shuffled.size()));
        }
        Set<String> seen = new HashSet<>();
        train.forEach(s -> seen.add(Arrays.toString(s.keys())));
        long overlap = test.stream().filter(s -> seen.contains(Arrays.toString(s.keys()))).count();
        List<Sequence> all = new ArrayList<>(normal);
        all.addAll(abnormal);
        Map<String, Object> notes = new LinkedHashMap<>();
        notes.put("split", "60/20/20 per class, seed " + seed);
        notes.put("testLinesAlsoInTraining", overlap);
        notes.put("testLines", test.size());
        ConfusionMatrix ceiling = F1Ceiling.best(test);
        notes.put("testF1Ceiling", String.format(java.util.Locale.ROOT, "%.4f (the best any method judging a line by "
                + "its keys can do: identical lines with both labels; FP %d, FN %d)", ceiling.f1(), ceiling.fp(),
                ceiling.fn()));
        notes.put("templates", TEMPLATES);
        return new Split(name(), train, validation, test, KeyVocabulary.of(all), 0, notes);
    }
}
