package io.anomalog.bench.harness;

import io.anomalog.core.eval.protocol.Split;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one harness run: the split every method saw, and per method its headline result (its
 * parameters as given) and, when model seeds were asked for, one result per model seed.
 *
 * @param protocol      protocol name
 * @param description   the protocol's description
 * @param seed          the seed the split was drawn with
 * @param split         the split that every method saw
 * @param loadSeconds   time to build the split
 * @param results       each method's headline result, in the order run
 * @param modelSeedRuns per method, one result per model seed in the order asked (the headline result stands for
 *                      the seed it was trained with); empty without model seeds
 * @param skipped       methods that did not apply, with the reason
 * @param command       the command line that reproduces the run
 */
public record HarnessResult(String protocol, String description, long seed, Split split, double loadSeconds,
                            List<MethodResult> results, Map<String, List<SeedRun>> modelSeedRuns,
                            List<String> skipped, String command) {

    /** One model seed's result. */
    public record SeedRun(long seed, MethodResult result) {
    }

    /** The results of {@code method} over the model seeds, empty without model seeds. */
    public List<SeedRun> seedRuns(String method) {
        return modelSeedRuns.getOrDefault(method, List.of());
    }
}
