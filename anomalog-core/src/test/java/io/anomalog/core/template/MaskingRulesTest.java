package io.anomalog.core.template;

import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskingRulesTest {

    private final MaskingRules rules = MaskingRules.defaults();

    @Test
    void masksIpAddressesWithPortAndKeepsSurroundingPunctuation() {
        assertEquals("<*>", rules.maskToken("10.251.42.84"));
        // the address with its port, in Java's /host:port form too, is one value
        assertEquals("<*>", rules.maskToken("/10.251.42.84:50010"));
        assertEquals("<*>:", rules.maskToken("/10.251.42.84:50010:"));
        assertEquals("(<*>)", rules.maskToken("(192.168.0.1)"));
        assertEquals("<*>,", rules.maskToken("10.0.0.1,"));
    }

    @Test
    void masksNumbersHexUuidsAndBlockIds() {
        assertEquals("<*>", rules.maskToken("12345"));
        assertEquals("<*>", rules.maskToken("-3.25"));
        assertEquals("<*>", rules.maskToken("0x7fed806eb5d"));
        assertEquals("<*>", rules.maskToken("de305d54-75b4-431b-adb2-eb6b9e546014"));
        assertEquals("<*>", rules.maskToken("blk_-1608999687919862906"));
        assertEquals("<*>", rules.maskToken("blk_38865049064139660"));
    }

    @Test
    void masksPathsUrlsDateWordsAndIdentifiersWithSeveralDigits() {
        assertEquals("<*>", rules.maskToken("/etc/httpd/conf/workers2.properties"));
        assertEquals("<*>", rules.maskToken("/v2"));
        assertEquals("<*>", rules.maskToken("C:\\Windows\\winsxs"));
        assertEquals("<*>", rules.maskToken("hdfs://10.0.0.7:9000/user/logs"));
        assertEquals("<*>", rules.maskToken("Jul"));
        assertEquals("<*>", rules.maskToken("dn228"));
        assertEquals("<*>\"", rules.maskToken("HTTP/1.1\""));
        assertEquals("<*>", rules.maskToken("12:30:01"));
    }

    @Test
    void wordsWithASingleDigitNameThingsAndStayWords() {
        for (String w : new String[]{"ssh2", "SOCKS5", "eth0", "jk2_init()", "IPv4"}) {
            assertEquals(w, rules.maskToken(w), w);
        }
    }

    @Test
    void aWordJoinedToANumberKeepsTheWord() {
        assertEquals("node-<*>", rules.maskToken("node-246"));
        assertEquals("core.<*>", rules.maskToken("core.6161"));
        assertEquals("stage......<*>", rules.maskToken("stage......3"));
    }

    @Test
    void hostNamesWithAPortAreOneValueButKeysWithAColonStayKeys() {
        assertEquals("<*>", rules.maskToken("relay.example.org:8080"));
        assertEquals("<*>", rules.maskToken("worker-7:9000"));
        assertEquals("<*>", rules.maskToken("worker-7/10.0.0.7:9000"));
        assertEquals("Status:<*>", rules.maskToken("Status:3"));
        assertEquals("[sweep_loop.c:<*>]:", rules.maskToken("[sweep_loop.c:1482]:"));
        assertEquals("<*>:Done", rules.maskToken("10.0.0.7:50010:Done"));
    }

    @Test
    void aFrameOfACallStackIsAValue() {
        assertEquals("<*>", rules.maskToken("org.example.server.Worker.run:212"));
        assertEquals("<*>", rules.maskToken("org.example.Stub$Proxy.onTransact:398"));
    }

    @Test
    void literalValuesAreVariables() {
        assertEquals("<*>", rules.maskToken("true"));
        assertEquals("<*>,", rules.maskToken("false,"));
        assertEquals("ws=<*>", rules.maskToken("ws=null"));
        assertEquals("setVisible(<*>)", rules.maskToken("setVisible(TRUE)"));
        assertEquals("<*>", rules.maskToken("ffffffff"));
    }

    @Test
    void aValueInsideATokenKeepsItsOwnBoundaries() {
        assertEquals("state=<*>,mode=<*>,level=<*>", rules.maskToken("state=true,mode=3,level=0x1"));
        assertEquals("bounds=Rect(<*>,", rules.maskToken("bounds=Rect(0,"));
        assertEquals("x[<*>]=<*>,", rules.maskToken("x[0]=622.0,"));
        assertEquals("chdir(<*>)", rules.maskToken("chdir(/home/alice)"));
        assertEquals("limit=<mem:<*>,", rules.maskToken("limit=<mem:0,"));
        assertEquals("=<*>", rules.maskToken("=38"));
        assertEquals("tty=:<*>", rules.maskToken("tty=:0"));
        // a list of addresses is one value
        assertEquals("<*>", rules.maskToken("10.0.0.1,10.0.0.2"));
    }

    @Test
    void keyValueTokensKeepTheKey() {
        assertEquals("uid=<*>", rules.maskToken("uid=0"));
        assertEquals("(HWID=<*>)", rules.maskToken("(HWID=1973)"));
        assertEquals("rhost=<*>", rules.maskToken("rhost=218.188.2.4"));
    }

    @Test
    void plainWordsStay() {
        for (String w : new String[]{"PacketResponder", "terminating", "user=root", "[preauth]", "-", "/", "<*>",
                "rhost=", "Token", "Fried."}) {
            assertEquals(w, rules.maskToken(w), w);
        }
    }

    @Test
    void noneMasksNothing() {
        MaskingRules none = MaskingRules.none();
        assertEquals("10.0.0.1", none.maskToken("10.0.0.1"));
        assertEquals("ssh2", none.maskToken("ssh2"));
        assertEquals("none", none.describe());
    }

    @Test
    void builderRemovesRulesAndAddsRegexRules() {
        MaskingRules r = MaskingRules.builder().without("ip").digitTokens(false).regex("core\\.\\d+").build();
        assertEquals("10.0.0.1", r.maskToken("10.0.0.1"));
        assertEquals("generating <*>", r.applyRegex("generating core.1234"));
        assertTrue(r.describe().contains("regex:core"));
        assertThrows(AnomalogException.class, () -> MaskingRules.builder().regex("(unclosed"));
        assertThrows(AnomalogException.class, () -> MaskingRules.builtIn("nosuchrule"));
    }
}
