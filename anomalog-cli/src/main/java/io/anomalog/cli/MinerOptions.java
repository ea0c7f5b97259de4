package io.anomalog.cli;

import io.anomalog.core.template.MinerSettings;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * The template miner's settings, for the commands that learn templates (parse, train). Detection reuses the
 * settings saved with the model's template store; giving others there is refused unless
 * {@code --override-miner-settings}.
 */
final class MinerOptions {

    @Option(names = "--depth", paramLabel = "N", description = "Drain tree depth (default: 4).")
    Integer depth;

    @Option(names = "--similarity", paramLabel = "S", description = "Drain similarity threshold, 0..1 (default: 0.5).")
    Double similarity;

    @Option(names = "--mask", paramLabel = "REGEX",
            description = "Extra masking pattern: its matches become <*> (repeatable).")
    List<String> masks = new ArrayList<>();

    @Option(names = "--max-templates", paramLabel = "N",
            description = "Most templates kept; beyond it the least recently used is evicted and counted, 0: no cap "
                    + "(default: 20000).")
    Integer maxTemplates;

    @Option(names = "--override-miner-settings",
            description = "Mine with the settings given even when the template store was made with others "
                    + "(templates already known keep their ids).")
    boolean override;

    boolean given() {
        return depth != null || similarity != null || !masks.isEmpty() || maxTemplates != null;
    }

    /** The settings given, over {@code base} (the defaults, or a store's own). */
    MinerSettings settings(MinerSettings base) {
        MinerSettings s = base;
        if (depth != null) {
            s = s.withDepth(depth);
        }
        if (similarity != null) {
            s = s.withSimilarity(similarity);
        }
        if (!masks.isEmpty()) {
            s = s.withMasks(masks);
        }
        if (maxTemplates != null) {
            s = s.withMaxTemplates(maxTemplates);
        }
        return s;
    }
}
