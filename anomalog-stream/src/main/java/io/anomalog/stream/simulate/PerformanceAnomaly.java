package io.anomalog.stream.simulate;

import java.util.List;

/**
 * The performance anomalies the HDFS simulator can plant in a session whose keys stay those of a normal session,
 * so that only times and sizes tell it apart. With any of them on, the simulator also gives every session service
 * times: each event of a session comes 0 to 2 seconds (uniform) after the session's previous one, as a block's
 * pipeline steps do, while other sessions' lines interleave.
 * <ul>
 *   <li>{@link #DELAY}: a slow datanode; one gap of the session, chosen at random, is 10 to 60 s longer;</li>
 *   <li>{@link #SIZE}: the block reports a size of 3 to 10 times the 64 MB block size in every line with a size;</li>
 *   <li>{@link #STRETCH}: a stretched pipeline; every gap of the session is 3 to 9 s instead of 0 to 2 s.</li>
 * </ul>
 */
public final class PerformanceAnomaly {

    /** An anomalous key sequence (the simulator's ordinary anomalies). */
    public static final String SEQUENCE = "sequence";
    public static final String DELAY = "delay";
    public static final String SIZE = "size";
    public static final String STRETCH = "stretch";
    /** The performance kinds, in report order. */
    public static final List<String> KINDS = List.of(DELAY, SIZE, STRETCH);

    /** HDFS's block size: a block never holds more. */
    static final long BLOCK_SIZE = 67_108_864L;

    private PerformanceAnomaly() {
    }
}
