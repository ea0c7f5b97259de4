package io.anomalog.core.eval.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.DetectorProvider;
import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.detect.Trainer;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitTrainerTest {

    /** Records what a trainer was given. */
    static final class RecordingProvider implements DetectorProvider {
        final boolean supervised;
        Params params;
        List<Sequence> validation = List.of();
        Map<Integer, String> texts = Map.of();

        RecordingProvider(boolean supervised) {
            this.supervised = supervised;
        }

        @Override
        public String method() {
            return "rec";
        }

        @Override
        public String description() {
            return "records its set-up";
        }

        @Override
        public boolean supervised() {
            return supervised;
        }

        @Override
        public Trainer trainer(Params p) {
            params = p;
            return new Trainer() {
                @Override
                public String method() {
                    return "rec";
                }

                @Override
                public boolean supervised() {
                    return supervised;
                }

                @Override
                public Trainer withProvenance(io.anomalog.core.detect.Provenance p) {
                    return this;
                }

                @Override
                public Trainer withValidation(List<Sequence> v) {
                    validation = v;
                    return this;
                }

                @Override
                public Trainer withTemplateTexts(Map<Integer, String> t) {
                    texts = t;
                    return this;
                }

                @Override
                public Detector fit(List<Sequence> training, KeyVocabulary vocabulary, Progress progress) {
                    throw new UnsupportedOperationException("not needed");
                }
            };
        }

        @Override
        public Detector load(Path modelDir, ModelManifest manifest) {
            throw new UnsupportedOperationException("not needed");
        }
    }

    private static Split split(Map<String, Object> notes) {
        List<Sequence> train = new ArrayList<>(List.of(
                new Sequence("n1", new int[]{1, 2}, Label.NORMAL),
                new Sequence("a1", new int[]{3}, Label.ANOMALOUS)));
        List<Sequence> validation = List.of(new Sequence("v1", new int[]{1, 2}, Label.NORMAL));
        return new Split("p", train, validation, List.of(), KeyVocabulary.of(train), 0, notes);
    }

    @Test
    void protocolSuggestionsApplyUnderTheUsersParameters(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("templates.csv"), "EventId,EventTemplate\nE1,Receiving block <*>\nE2,Deleting <*>\n");
        Split s = split(Map.of("rec.history", 20, "rec.topG", 9, "other.history", 5, "templates", "templates.csv"));
        RecordingProvider p = new RecordingProvider(false);
        s.trainer(p, Map.of("topG", "3"), DataDir.of(dir));

        assertEquals(20, p.params.getInt("history", 10), "suggested by the protocol");
        assertEquals(3, p.params.getInt("topG", 9), "the user's value wins");
        assertTrue(!p.params.has("other.history") && !p.params.has("history.other"));
        assertEquals(List.of("v1"), p.validation.stream().map(Sequence::id).toList());
        assertEquals("Receiving block <*>", p.texts.get(1));
    }

    @Test
    void unsupervisedMethodsTrainOnNormalSequencesOnly() {
        Split s = split(Map.of());
        assertEquals(List.of("n1"), s.trainingFor(new RecordingProvider(false)).stream().map(Sequence::id).toList());
        assertEquals(2, s.trainingFor(new RecordingProvider(true)).size());
    }
}
