package io.anomalog.stream.simulate;

import io.anomalog.core.session.Sequence;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Simulates the HDFS logs of several hosts ({@code hadoop1}, {@code hadoop2}, ...). Each session is a real key
 * sequence (normal, or with probability {@code anomalyRate} an anomalous one) rendered into lines with a fresh
 * block id; each host has several sessions open at once and interleaves their lines, as a datanode serving many
 * blocks does. Deterministic for a seed.
 *
 * <pre>{@code
 * HdfsSimulator sim = HdfsSimulator.builder(KeySessions.bundled()).hosts(3).anomalyRate(0.05).seed(7).build();
 * SimulatedLine l = sim.host(0).next();
 * }</pre>
 */
public final class HdfsSimulator {

    private final List<HostLog> hosts = new ArrayList<>();

    private HdfsSimulator(Builder b) {
        for (int i = 0; i < b.hosts; i++) {
            HostLog h = new HostLog(b.hostPrefix + (i + 1), b.sessions, b.concurrent, b.anomalyRate, b.performance,
                    new Random(b.seed * 1_000_003L + i), b.sessionsPerHost(i));
            hosts.add(h);
        }
    }

    public static Builder builder(KeySessions sessions) {
        return new Builder(sessions);
    }

    public List<HostLog> hosts() {
        return hosts;
    }

    public HostLog host(int i) {
        return hosts.get(i);
    }

    /** The line stream of one host; not thread-safe (one writer thread per host). */
    public static final class HostLog {
        private final String name;
        private final KeySessions data;
        private final double anomalyRate;
        private final double[] performance;
        private final boolean serviceTimes;
        private final Random rnd;
        private final Open[] open;
        private long toStart;
        private volatile boolean finishing;
        private volatile boolean upgraded;
        private int active;
        private LocalDateTime clock = LocalDateTime.of(2008, 11, 9, 20, 35, 18);

        /**
         * @param kind    null for a normal session, else {@link PerformanceAnomaly#SEQUENCE} or a performance kind
         * @param readyAt with service times: when the session's next line may come
         * @param delayAt for a delay: the position whose line comes late
         */
        private record Open(String id, int[] keys, boolean anomalous, HdfsLineRenderer.Block block, int[] pos,
                            String kind, LocalDateTime[] readyAt, int delayAt) {
        }

        HostLog(String name, KeySessions data, int concurrent, double anomalyRate, double[] performance, Random rnd,
                long sessions) {
            this.name = name;
            this.data = data;
            this.anomalyRate = anomalyRate;
            this.performance = performance;
            this.serviceTimes = performance[0] + performance[1] + performance[2] > 0;
            this.rnd = rnd;
            this.open = new Open[concurrent];
            this.toStart = sessions;
            for (int i = 0; i < open.length; i++) {
                open[i] = startSession();
            }
        }

        public String name() {
            return name;
        }

        public boolean hasNext() {
            return active > 0;
        }

        /**
         * A normal workflow changes from now on, as after an upgrade: every normal session started later writes a
         * new template ({@link HdfsLineRenderer#UPGRADE_KEY}) after its first "Receiving block" line. They are
         * still normal sessions; a model trained before has never seen that line.
         */
        public void upgrade() {
            upgraded = true;
        }

        /** Starts no new sessions: the open ones are written to their end, then the host is done. */
        public void finish() {
            finishing = true;
        }

        /** The next line; sessions start as others finish until this host's share has been written. */
        public SimulatedLine next() {
            if (active == 0) {
                throw new java.util.NoSuchElementException(name + " has written all its sessions");
            }
            int slot = serviceTimes ? readySlot() : rnd.nextInt(open.length);
            while (open[slot] == null) {
                slot = (slot + 1) % open.length;
            }
            Open s = open[slot];
            int key = s.keys[s.pos[0]++];
            clock = clock.plusNanos(rnd.nextInt(20_000_000));
            String line = HdfsLineRenderer.line(key, s.block, clock, rnd);
            boolean last = s.pos[0] == s.keys.length;
            if (serviceTimes && !last) {
                s.readyAt[0] = clock.plusNanos(gapNanos(s));
            }
            if (last) {
                active--;
                open[slot] = startSession();
            }
            return new SimulatedLine(name, line, s.id, s.anomalous, last, s.kind);
        }

        /** A session whose next line is due (the clock moves on to the earliest when none is). */
        private int readySlot() {
            LocalDateTime earliest = null;
            int due = 0;
            for (Open o : open) {
                if (o != null) {
                    if (!o.readyAt[0].isAfter(clock)) {
                        due++;
                    } else if (earliest == null || o.readyAt[0].isBefore(earliest)) {
                        earliest = o.readyAt[0];
                    }
                }
            }
            if (due == 0) {
                clock = earliest;
                return readySlot();
            }
            int pick = rnd.nextInt(due);
            for (int i = 0; i < open.length; i++) {
                if (open[i] != null && !open[i].readyAt[0].isAfter(clock) && pick-- == 0) {
                    return i;
                }
            }
            throw new IllegalStateException("no session due");
        }

        /** The time from a session's line to its next: 0-2 s, or as its performance anomaly has it. */
        private long gapNanos(Open s) {
            long second = 1_000_000_000L;
            long gap = (long) (rnd.nextDouble() * 2 * second);
            if (PerformanceAnomaly.STRETCH.equals(s.kind)) {
                gap = 3 * second + (long) (rnd.nextDouble() * 6 * second);
            } else if (PerformanceAnomaly.DELAY.equals(s.kind) && s.pos[0] == s.delayAt) {
                gap += 10 * second + (long) (rnd.nextDouble() * 50 * second);
            }
            return gap;
        }

        private Open startSession() {
            if (toStart <= 0 || finishing) {
                return null;
            }
            toStart--;
            boolean anomalous = !data.abnormal().isEmpty() && rnd.nextDouble() < anomalyRate;
            String kind = anomalous ? PerformanceAnomaly.SEQUENCE : null;
            if (!anomalous && serviceTimes) {
                double u = rnd.nextDouble();
                for (int k = 0; k < 3 && kind == null; k++) {
                    if (u < performance[k]) {
                        kind = PerformanceAnomaly.KINDS.get(k);
                    }
                    u -= performance[k];
                }
            }
            List<Sequence> pool = anomalous ? data.abnormal() : data.normal();
            Sequence seq = pool.get(rnd.nextInt(pool.size()));
            HdfsLineRenderer.Block block = new HdfsLineRenderer.Block(rnd);
            int delayAt = 0;
            if (PerformanceAnomaly.SIZE.equals(kind)) {
                block = block.withSize(PerformanceAnomaly.BLOCK_SIZE * (3 + rnd.nextInt(8)) + rnd.nextInt(1 << 20));
            } else if (PerformanceAnomaly.DELAY.equals(kind)) {
                delayAt = seq.keys().length < 2 ? 0 : 1 + rnd.nextInt(seq.keys().length - 1);
            }
            active++;
            int[] keys = upgraded && !anomalous ? upgraded(seq.keys()) : seq.keys();
            return new Open(block.id(), keys, kind != null, block, new int[1], kind,
                    new LocalDateTime[]{clock}, delayAt);
        }

        private static int[] upgraded(int[] keys) {
            return upgradedWorkflow(keys);
        }
    }

    /**
     * A normal session's keys after the upgrade that {@link HostLog#upgrade()} simulates: the new template
     * {@link HdfsLineRenderer#UPGRADE_KEY} after the first "Receiving block" (key 5).
     */
    public static int[] upgradedWorkflow(int[] keys) {
        return io.anomalog.core.session.WorkflowChange.insertAfterFirst(keys, 5, HdfsLineRenderer.UPGRADE_KEY);
    }

    /** Settings of a simulation. */
    public static final class Builder {
        private final KeySessions sessions;
        private int hosts = 3;
        private long totalSessions = Long.MAX_VALUE;
        private int concurrent = 8;
        private double anomalyRate = 0.03;
        private final double[] performance = new double[3];
        private long seed = 42;
        private String hostPrefix = "hadoop";

        Builder(KeySessions sessions) {
            this.sessions = sessions;
        }

        public Builder hosts(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("hosts must be >= 1");
            }
            this.hosts = n;
            return this;
        }

        /** Sessions over all hosts; unlimited by default (a live demo runs until stopped). */
        public Builder sessions(long n) {
            this.totalSessions = n;
            return this;
        }

        /** Sessions each host interleaves at a time. */
        public Builder concurrentSessions(int n) {
            this.concurrent = Math.max(1, n);
            return this;
        }

        public Builder anomalyRate(double r) {
            if (r < 0 || r > 1) {
                throw new IllegalArgumentException("anomaly rate must be in [0, 1]");
            }
            this.anomalyRate = r;
            return this;
        }

        /**
         * Shares of sessions (among those not given an anomalous key sequence) that get each performance anomaly
         * (see {@link PerformanceAnomaly}); any share above 0 also turns on service times for every session.
         */
        public Builder performanceAnomalies(double delay, double size, double stretch) {
            double[] r = {delay, size, stretch};
            double sum = 0;
            for (double x : r) {
                if (x < 0 || x > 1) {
                    throw new IllegalArgumentException("performance anomaly rates must be in [0, 1]");
                }
                sum += x;
            }
            if (sum > 1) {
                throw new IllegalArgumentException("performance anomaly rates add up to more than 1");
            }
            System.arraycopy(r, 0, performance, 0, 3);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder hostPrefix(String prefix) {
            this.hostPrefix = prefix;
            return this;
        }

        long sessionsPerHost(int i) {
            if (totalSessions == Long.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
            return totalSessions / hosts + (i < totalSessions % hosts ? 1 : 0);
        }

        public HdfsSimulator build() {
            return new HdfsSimulator(this);
        }
    }
}
