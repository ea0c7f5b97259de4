package io.anomalog.ml.deeplog.workflow;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkflowPictureTest {

    /** start -> 1 -> 2 -> end. */
    private static Workflow line() {
        return Workflow.of(1, List.of(1, 2), List.of(new Workflow.Edge(null, 1, 5), new Workflow.Edge(1, 2, 5),
                new Workflow.Edge(2, null, 5)));
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTemplateHoldingMarkupStaysTextInTheSvg() throws Exception {
        Workflow w = line();
        Diagnosis d = Diagnosis.of(w, new int[]{1, 7}, -1);
        String svg = WorkflowPicture.of(w, d, Map.of(1, "<script>alert(1)</script>", 7,
                "\"/><img src=x onerror=alert(2)> & 'x'")).svg();
        assertFalse(svg.contains("<script"), svg);
        assertFalse(svg.contains("<img"), svg);
        Document doc = parse(svg);
        assertEquals(0, doc.getElementsByTagName("script").getLength());
        assertEquals(0, doc.getElementsByTagName("img").getLength());
        String text = doc.getDocumentElement().getTextContent();
        assertTrue(text.contains("<script>alert(1)</script>"), text);
        assertTrue(text.contains("\"/><img src=x onerror=aler"), text);
        NodeList groups = doc.getElementsByTagName("g");
        boolean unexpectedDrawn = false;
        for (int i = 0; i < groups.getLength(); i++) {
            unexpectedDrawn |= "state-7".equals(groups.item(i).getAttributes().getNamedItem("id").getNodeValue())
                    && "unexpected".equals(groups.item(i).getAttributes().getNamedItem("class").getNodeValue());
        }
        assertTrue(unexpectedDrawn, "the key the workflow does not have is drawn as the unexpected one");
    }

    @Test
    void controlCharactersAndCutSurrogatesInATemplateLeaveTheSvgWellFormed() throws Exception {
        String cut = "x".repeat(26) + "\uD83D\uDE00 more"; // shortening cuts the emoji after its first half
        String svg = WorkflowPicture.of(line(), null, Map.of(1, "bell\u0007 nul\u0000 esc\u001b", 2, cut)).svg();
        Document doc = parse(svg);
        String text = doc.getDocumentElement().getTextContent();
        assertTrue(text.contains("bell\uFFFD nul\uFFFD esc\uFFFD"), text);
        assertTrue(text.contains("x".repeat(26) + "\uFFFD\u2026"), text);
    }
}
