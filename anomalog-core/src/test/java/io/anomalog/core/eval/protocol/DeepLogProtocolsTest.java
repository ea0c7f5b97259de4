package io.anomalog.core.eval.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.session.Label;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DeepLogProtocolsTest {

    private static DataDir data() {
        Path p = Path.of(System.getProperty("anomalog.data", "../shared/datasets"));
        assumeTrue(Files.isDirectory(p.resolve("hdfs")), "public datasets not available");
        return DataDir.of(p);
    }

    @Test
    void areRegistered() {
        assertTrue(Protocols.all().keySet().containsAll(java.util.List.of("hdfs-deeplog", "openstack-deeplog", "bgl-windows")));
    }

    @Test
    void hdfsDeepLogHasTheDocumentedSizes() {
        Split s = Protocols.byName("hdfs-deeplog").load(data(), 42);
        assertEquals(4855, s.train().size());
        assertEquals(16838, s.count(s.test(), Label.ANOMALOUS));
        assertEquals(7000, s.count(s.test(), Label.NORMAL));
        assertEquals(553_366, s.projectedNormals());
    }

    @Test
    void openStackAndBglHaveTheDocumentedSizes() {
        Split o = Protocols.byName("openstack-deeplog").load(data(), 42);
        assertEquals(19, o.train().size());
        assertEquals(198, o.count(o.test(), Label.ANOMALOUS));
        assertEquals(1852, o.count(o.test(), Label.NORMAL));
        Split b = Protocols.byName("bgl-windows").load(data(), 42);
        assertEquals(2493, b.train().size());
        assertEquals(278, b.validation().size());
        assertEquals(11861, b.count(b.test(), Label.ANOMALOUS));
        assertEquals(223811, b.count(b.test(), Label.NORMAL));
        assertTrue(b.test().stream().allMatch(s -> s.length() == 21));
    }
}
