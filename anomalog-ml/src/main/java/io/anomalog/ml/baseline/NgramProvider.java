package io.anomalog.ml.baseline;

import io.anomalog.core.detect.Detector;
import io.anomalog.core.detect.ModelManifest;
import io.anomalog.core.detect.Params;
import io.anomalog.core.session.Sequence;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code ngram}: n-gram model over log keys. Parameters: {@code n} (3: the next key from the two before it),
 * {@code candidates} (g, the successors that count as expected; 9, DeepLog's default), {@code end} (true: the end
 * of a sequence is predicted like a key, as language models do with an end-of-sentence token, so truncated
 * sessions are caught; false: DeepLog's setting).
 */
public final class NgramProvider extends BaselineProvider {

    static final int VERSION = 1;

    public NgramProvider() {
        super("ngram", false, VERSION, "N-gram model of the next log key, DeepLog's baseline (Du et al. 2017)");
    }

    @Override
    protected BaselineTrainer.Fit configure(Params params) {
        int n = params.getInt("n", 3);
        int candidates = params.getInt("candidates", 9);
        boolean end = params.getBoolean("end", true);
        require(n >= 1, "n must be at least 1");
        require(candidates >= 1, "candidates must be at least 1");
        return (training, vocabulary, summary, progress) -> {
            List<int[]> dense = training.stream().map(Sequence::keys).map(vocabulary::encode).toList();
            List<NgramDetector.Context> contexts = NgramDetector.count(dense, n, end);
            summary.put("histories", contexts.size());
            return new NgramDetector(manifest(params, vocabulary, summary),
                    new NgramDetector.Parameters(n, candidates, end, contexts));
        };
    }

    @Override
    protected Detector read(Path modelDir, ModelManifest manifest) {
        return new NgramDetector(manifest, ModelFiles.readParameters(modelDir, NgramDetector.Parameters.class));
    }
}
