package io.anomalog.core.eval.protocol;

import io.anomalog.core.data.DataDir;

/**
 * A named, reproducible evaluation setup: which data, how it is split, what a unit is (session or window),
 * and whether duplicates count. {@code anomalog bench detect --protocol NAME} runs every chosen method on the
 * same {@link Split}. Found with {@link java.util.ServiceLoader} (file
 * {@code META-INF/services/io.anomalog.core.eval.protocol.Protocol}), listed by {@link Protocols}.
 *
 * <p>Loading must be deterministic: the same data folder and seed give the same split.
 */
public interface Protocol {

    /** The name users type, e.g. "hdfs-deeplog". */
    String name();

    /** What the protocol is, for help texts, reports and docs: data, split, unit, duplicates, labels. */
    String description();

    /** Builds the split from the dataset folder; fails with a clear message when a file is missing. */
    Split load(DataDir data, long seed);
}
