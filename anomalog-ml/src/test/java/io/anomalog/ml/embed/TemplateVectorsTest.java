package io.anomalog.ml.embed;

import io.anomalog.core.detect.KeyVocabulary;
import io.anomalog.core.template.TemplateTexts;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateVectorsTest {

    @Test
    void tokenizerSplitsCamelCaseAndDropsSlotsAndNumbers() {
        assertEquals(List.of("block", "name", "system", "add", "stored", "block", "block", "map", "updated"),
                TemplateTokenizer.words("<*>BLOCK* NameSystem<*>addStoredBlock: blockMap updated:<*> 42"));
    }

    @Test
    void templatesSharingWordsAreCloserThanUnrelatedOnes() {
        TemplateTexts texts = TemplateTexts.read(Path.of(System.getProperty("anomalog.repo", "../"))
                .resolve("data/hdfs/HDFS_templates.csv"));
        assertEquals(30, texts.size());
        KeyVocabulary vocabulary = new KeyVocabulary(texts.asMap().keySet());
        float[][] table = TemplateVectors.word2vec(texts, vocabulary, 16, 7);
        // E26 and E27 both speak of addStoredBlock on the NameSystem; E2 is "Verification succeeded for"
        float[] e26 = table[vocabulary.indexOf(26)];
        float[] e27 = table[vocabulary.indexOf(27)];
        float[] e2 = table[vocabulary.indexOf(2)];
        double related = TemplateVectors.cosine(e26, e27);
        double unrelated = TemplateVectors.cosine(e26, e2);
        assertTrue(related > unrelated + 0.2, "related " + related + " vs unrelated " + unrelated);
        assertEquals(1.0, TemplateVectors.cosine(e26, e26), 1e-6);
        // padding row and unknown row are zero; same seed, same vectors
        assertArrayEquals(new float[16], table[TemplateVectors.paddingIndex(vocabulary)]);
        assertArrayEquals(new float[16], table[0]);
        assertArrayEquals(e26, TemplateVectors.word2vec(texts, vocabulary, 16, 7)[vocabulary.indexOf(26)]);
    }

    @Test
    void word2vecPlacesCoOccurringWordsTogether() {
        List<List<String>> sentences = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sentences.add(List.of("disk", "write", "failed", "sector"));
            sentences.add(List.of("user", "login", "accepted", "session"));
        }
        Map<String, float[]> v = Word2Vec.builder().dimension(10).epochs(100).seed(3).build().train(sentences);
        assertTrue(TemplateVectors.cosine(v.get("disk"), v.get("sector"))
                > TemplateVectors.cosine(v.get("disk"), v.get("login")) + 0.3);
    }
}
