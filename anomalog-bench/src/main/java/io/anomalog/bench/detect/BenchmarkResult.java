package io.anomalog.bench.detect;

import io.anomalog.core.eval.protocol.Split;

import java.util.List;

/**
 * The outcome of one benchmark run: the protocol and its split facts, and one result per method.
 *
 * @param protocol    protocol name
 * @param description the protocol's description
 * @param seed        the seed the split was drawn with
 * @param split       the split that every method saw
 * @param results     per-method results, in the order run
 * @param skipped     methods that did not apply, with the reason
 * @param command     the command line that reproduces the run
 */
public record BenchmarkResult(String protocol, String description, long seed, Split split, List<MethodResult> results,
                              List<String> skipped, String command) {
}
