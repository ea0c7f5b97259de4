package io.anomalog.stream.simulate;

/**
 * One generated log line and the truth behind it.
 *
 * @param host          the host whose log file gets the line
 * @param line          the raw line
 * @param sessionId     the block id the line belongs to
 * @param anomalous     whether that session is anomalous
 * @param lastOfSession true for the session's final line (its label is then complete)
 * @param kind          for an anomalous session, what is wrong with it: {@link PerformanceAnomaly#SEQUENCE} (its keys)
 *                      or a performance anomaly's name; null for a normal session
 */
public record SimulatedLine(String host, String line, String sessionId, boolean anomalous, boolean lastOfSession,
                            String kind) {

    public SimulatedLine(String host, String line, String sessionId, boolean anomalous, boolean lastOfSession) {
        this(host, line, sessionId, anomalous, lastOfSession, anomalous ? PerformanceAnomaly.SEQUENCE : null);
    }
}
