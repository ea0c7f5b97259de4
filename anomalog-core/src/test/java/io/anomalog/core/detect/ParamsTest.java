package io.anomalog.core.detect;

import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParamsTest {

    @Test
    void assignmentsAreReadInOrderAndALaterValueWins() {
        Map<String, String> p = Params.parse(List.of("history=10", " topG = 9 ", "history=5", "pattern=a=b"));
        assertEquals(List.of("history", "topG", "pattern"), List.copyOf(p.keySet()));
        assertEquals("5", p.get("history"));
        assertEquals("9", p.get("topG"));
        assertEquals("a=b", p.get("pattern"));
    }

    @Test
    void textWithoutANameBeforeTheEqualsSignIsRefusedWithTheSyntax() {
        for (String bad : List.of("history", "=3", " =3")) {
            AnomalogException e = assertThrows(AnomalogException.class, () -> Params.parse(List.of(bad)));
            assertTrue(e.getMessage().contains("NAME=VALUE") && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void methodPrefixedAssignmentsAreGroupedByMethod() {
        Map<String, Map<String, String>> p = Params.parseByMethod(List.of("pca.weighting=tf-idf", "iforest.seed=7",
                "pca.components=3"));
        assertEquals(Map.of("weighting", "tf-idf", "components", "3"), p.get("pca"));
        assertEquals(Map.of("seed", "7"), p.get("iforest"));
        for (String bad : List.of("nodot=1", ".x=1", "pca.=1")) {
            AnomalogException e = assertThrows(AnomalogException.class, () -> Params.parseByMethod(List.of(bad)));
            assertTrue(e.getMessage().contains("METHOD.NAME=VALUE"), e.getMessage());
        }
    }
}
