package io.anomalog.core.log;

import io.anomalog.core.util.AnomalogException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TimeReaderTest {

    @Test
    void everyLoghubPresetReadsItsOwnTimestamps() {
        String[][] cases = {
                {"hdfs", "081109 203615 148 INFO dfs.DataNode: x", "2008-11-09T20:36:15Z"},
                {"hadoop", "2015-10-18 18:01:47,978 INFO [main] org.A: x", "2015-10-18T18:01:47.978Z"},
                {"spark", "17/06/09 20:10:40 INFO executor.Backend: x", "2017-06-09T20:10:40Z"},
                {"bgl", "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 "
                        + "RAS KERNEL INFO x", "2005-06-03T22:42:50Z"},
                {"linux", "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: x", "2000-06-14T15:16:01Z"},
                {"openssh", "Dec 10 06:55:46 LabSZ sshd[24200]: x", "2000-12-10T06:55:46Z"},
                {"apache", "[Sun Dec 04 04:47:44 2005] [notice] x", "2005-12-04T04:47:44Z"},
                {"openstack", "nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi "
                        + "[req-38101a0b] x", "2017-05-16T00:00:00.008Z"},
                {"android", "03-17 16:13:38.811  1702  2395 D WindowManager: x", "2000-03-17T16:13:38.811Z"},
                {"healthapp", "20171223-22:15:29:606|Step_LSC|30002312|x", "2017-12-23T22:15:29.606Z"},
        };
        for (String[] c : cases) {
            LogRecord r = LogFormats.byName(c[0]).parse(c[1], "t", 1, 0);
            assertEquals(c[2], String.valueOf(r.time()), c[0] + ": " + r.timestamp());
        }
    }

    @Test
    void epochIsoAndAutoReadTheUsualForms() {
        assertEquals("2005-06-03T22:42:50Z", TimeReader.epoch().read("1117838570").toString());
        assertEquals("2005-06-03T22:42:50.123Z", TimeReader.epoch().read("1117838570123").toString());
        assertEquals("2005-06-03T22:42:50.500Z", TimeReader.epoch().read("1117838570.5").toString());
        assertEquals("2024-01-01T10:00:00Z", TimeReader.iso().read("2024-01-01T11:00:00+01:00").toString());
        assertEquals("2024-01-01T10:00:00Z", TimeReader.iso().read("2024-01-01 10:00:00").toString());
        TimeReader auto = TimeReader.auto();
        assertEquals("2024-01-01T10:00:00.123Z", auto.read("2024-01-01 10:00:00,123").toString());
        assertEquals("2008-11-09T20:36:15Z", auto.read("081109 203615").toString());
        assertEquals("2024-02-03T04:05:06Z", auto.read("03/Feb/2024:04:05:06 +0000").toString());
    }

    @Test
    void unreadableTextIsNullAndABadPatternIsAClearError() {
        assertNull(TimeReader.pattern("yyMMdd HHmmss").read("yesterday"));
        assertNull(TimeReader.epoch().read("12ab"));
        assertNull(TimeReader.auto().read(null));
        AnomalogException e = assertThrows(AnomalogException.class, () -> TimeReader.of("yyyy-MM-dd {HH}"));
        assertEquals(true, e.getMessage().startsWith("timestamp format 'yyyy-MM-dd {HH}' is not a valid"));
    }

    @Test
    void aTimeOfDayAloneReadsOnTheFirstOfJanuary() {
        assertEquals("2000-01-01T10:00:05Z", TimeReader.pattern("HH:mm:ss").read("10:00:05").toString());
    }
}
