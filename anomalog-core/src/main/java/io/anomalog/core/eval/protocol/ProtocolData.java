package io.anomalog.core.eval.protocol;

import io.anomalog.core.data.DataDir;
import io.anomalog.core.data.KeySequenceReader;
import io.anomalog.core.session.Label;
import io.anomalog.core.session.Sequence;
import io.anomalog.core.util.AnomalogException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reading helpers shared by the protocols: key files must read cleanly, since a protocol's numbers depend on it. */
final class ProtocolData {

    private ProtocolData() {
    }

    static List<Sequence> read(DataDir data, String relative, Label label) {
        KeySequenceReader.Result r = KeySequenceReader.read(data.file(relative), label);
        if (!r.rejected().isEmpty()) {
            throw new AnomalogException(relative + ": " + r.rejected().size() + " line(s) are not key sequences, first: "
                    + r.rejected().get(0).reason() + " at line " + r.rejected().get(0).lineNumber());
        }
        return r.sequences();
    }

    /** Only the rows with the given label. */
    static List<Sequence> only(List<Sequence> all, Label label) {
        return all.stream().filter(s -> s.label() == label).toList();
    }

    @SafeVarargs
    static List<Sequence> concat(Collection<Sequence>... parts) {
        List<Sequence> out = new ArrayList<>();
        for (Collection<Sequence> p : parts) {
            out.addAll(p);
        }
        return List.copyOf(out);
    }
}
