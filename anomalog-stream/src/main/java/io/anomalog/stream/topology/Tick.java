package io.anomalog.stream.topology;

/**
 * A shipper's heartbeat on its way from the decode stage to the grouping stage: no line, only the record's
 * timestamp, which moves the host's time on ({@link HostClocks}).
 */
enum Tick {
    HEARTBEAT
}
