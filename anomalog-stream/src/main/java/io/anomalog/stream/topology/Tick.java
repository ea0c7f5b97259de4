package io.anomalog.stream.topology;

/**
 * A shipper's signal on its way from the decode stage to the grouping stage: no line, only the record's timestamp
 * and what it says of the host's clock ({@link HostClocks}).
 */
enum Tick {
    /** The shipper is alive and had nothing to ship: the host's time moves on. */
    HEARTBEAT,
    /** The shipper stopped cleanly: no heartbeats come from it any more. */
    STOPPED
}
