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
        assertEquals("/<*>", rules.maskToken("/10.251.42.84:50010"));
        assertEquals("(<*>)", rules.maskToken("(192.168.0.1)"));
        assertEquals("<*>,", rules.maskToken("10.0.0.1,"));
    }

    @Test
    void masksNumbersHexUuidsAndBlockIds() {
        assertEquals("<*>", rules.maskToken("12345"));
        assertEquals("<*>", rules.maskToken("-3.25"));
        assertEquals("<*>", rules.maskToken("0x7fed806eb5d"));
        assertEquals("<*>", rules.maskToken("de305d54-75b4-431b-adb2-eb6b9e546014"));
        assertEquals("blk_<*>", rules.maskToken("blk_-1608999687919862906"));
        assertEquals("blk_<*>", rules.maskToken("blk_38865049064139660"));
    }

    @Test
    void masksPathsDateWordsAndDigitBearingTokens() {
        assertEquals("<*>", rules.maskToken("/etc/httpd/conf/workers2.properties"));
        assertEquals("<*>", rules.maskToken("C:\\Windows\\winsxs"));
        assertEquals("<*>", rules.maskToken("Jul"));
        assertEquals("<*>", rules.maskToken("node-246"));
        assertEquals("<*>", rules.maskToken("ssh2"));
    }

    @Test
    void keyValueTokensKeepTheKey() {
        assertEquals("uid=<*>", rules.maskToken("uid=0"));
        assertEquals("(HWID=<*>)", rules.maskToken("(HWID=1973)"));
        assertEquals("rhost=<*>", rules.maskToken("rhost=218.188.2.4"));
    }

    @Test
    void plainWordsStay() {
        for (String w : new String[]{"PacketResponder", "terminating", "user=root", "[preauth]", "-", "/", "<*>"}) {
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
