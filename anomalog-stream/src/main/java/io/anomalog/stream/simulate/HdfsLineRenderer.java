package io.anomalog.stream.simulate;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * Writes HDFS log lines as the HDFS_v1 logs have them ({@code 081109 203518 143 INFO dfs.DataNode$DataXceiver:
 * Receiving block blk_... src: /10.250.19.102:54106 dest: /10.250.19.102:50010}), one line per log key
 * (key k = template E<k> of loghub's {@code HDFS_templates.csv}), with the component, level and parameter shapes
 * (block ids, datanode addresses, ports, sizes, paths, thread ids) of real lines.
 */
public final class HdfsLineRenderer {

    /** Highest key of loghub's HDFS templates (E1..E30). */
    public static final int MAX_KEY = 30;
    /**
     * A template HDFS_v1 does not have, as an upgrade might bring: a checksum check written once a block has been
     * received. The simulator writes it into normal sessions after {@link HdfsSimulator.HostLog#upgrade()}.
     */
    public static final int UPGRADE_KEY = 31;
    /** How the upgrade's line begins. */
    public static final String UPGRADE_TEXT = "Checksum verified for block ";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyMMdd HHmmss", Locale.ROOT);

    /** What stays fixed over one block's lines: the block, its size, file and the datanodes holding it. */
    public static final class Block {
        final String id;
        final long size;
        final String file;
        final String[] datanodes;

        public Block(Random rnd) {
            long v = rnd.nextLong();
            this.id = "blk_" + v;
            this.size = rnd.nextInt(4) == 0 ? 67108864L : 1 + rnd.nextInt(50_000_000);
            this.file = "/user/root/rand" + rnd.nextInt(10) + "/_temporary/_task_200811092030_0002_m_"
                    + String.format(Locale.ROOT, "%06d", rnd.nextInt(2000)) + "_0/part-"
                    + String.format(Locale.ROOT, "%05d", rnd.nextInt(2000));
            this.datanodes = new String[]{ip(rnd), ip(rnd), ip(rnd)};
        }

        private Block(Block b, long size) {
            this.id = b.id;
            this.size = size;
            this.file = b.file;
            this.datanodes = b.datanodes;
        }

        public String id() {
            return id;
        }

        public long size() {
            return size;
        }

        /** The same block reporting another size. */
        public Block withSize(long newSize) {
            return new Block(this, newSize);
        }
    }

    private HdfsLineRenderer() {
    }

    static String ip(Random rnd) {
        return "10.25" + rnd.nextInt(2) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
    }

    /** The full raw line for one log key of a block at the given time. */
    public static String line(int key, Block b, LocalDateTime time, Random rnd) {
        String dn = b.datanodes[rnd.nextInt(3)];
        String other = b.datanodes[rnd.nextInt(3)];
        int port = 30000 + rnd.nextInt(30000);
        int responder = rnd.nextInt(3);
        String level = "INFO";
        String component;
        String content;
        switch (key) {
            case 1 -> { component = "dfs.FSDataset"; content = "Adding an already existing block " + b.id; }
            case 2 -> { component = "dfs.DataBlockScanner"; content = "Verification succeeded for " + b.id; }
            case 3 -> { component = "dfs.DataNode$DataXceiver"; content = dn + ":50010 Served block " + b.id + " to /" + other; }
            case 4 -> { level = "WARN"; component = "dfs.DataNode$DataXceiver"; content = dn + ":50010:Got exception while serving " + b.id + " to /" + other + ":"; }
            case 5 -> { component = "dfs.DataNode$DataXceiver"; content = "Receiving block " + b.id + " src: /" + other + ":" + port + " dest: /" + dn + ":50010"; }
            case 6 -> { component = "dfs.DataNode$DataXceiver"; content = "Received block " + b.id + " src: /" + other + ":" + port + " dest: /" + dn + ":50010 of size " + b.size; }
            case 7 -> { component = "dfs.DataNode$DataXceiver"; content = "writeBlock " + b.id + " received exception java.io.IOException: Could not read from stream"; }
            case 8 -> { component = "dfs.DataNode$PacketResponder"; content = "PacketResponder " + responder + " for block " + b.id + " Interrupted."; }
            case 9 -> { component = "dfs.DataNode$PacketResponder"; content = "Received block " + b.id + " of size " + b.size + " from /" + other; }
            case 10 -> { component = "dfs.DataNode$PacketResponder"; content = "PacketResponder " + b.id + " " + responder + " Exception java.io.EOFException"; }
            case 11 -> { component = "dfs.DataNode$PacketResponder"; content = "PacketResponder " + responder + " for block " + b.id + " terminating"; }
            case 12 -> { component = "dfs.DataNode$DataXceiver"; content = dn + ":50010:Exception writing block " + b.id + " to mirror " + other + ":50010"; }
            case 13 -> { component = "dfs.DataNode$BlockReceiver"; content = "Receiving empty packet for block " + b.id; }
            case 14 -> { component = "dfs.DataNode$BlockReceiver"; content = "Exception in receiveBlock for block " + b.id + " java.io.IOException: Connection reset by peer"; }
            case 15 -> { component = "dfs.DataNode$BlockReceiver"; content = "Changing block file offset of block " + b.id + " from " + (rnd.nextInt(64) * 512) + " to " + (rnd.nextInt(64) * 512) + " meta file offset to " + (7 + rnd.nextInt(64)); }
            case 16 -> { component = "dfs.DataNode$DataTransfer"; content = dn + ":50010:Transmitted block " + b.id + " to /" + other + ":50010"; }
            case 17 -> { level = "WARN"; component = "dfs.DataNode"; content = dn + ":50010:Failed to transfer " + b.id + " to " + other + ":50010 got java.net.SocketException: Connection reset"; }
            case 18 -> { component = "dfs.DataNode"; content = dn + ":50010 Starting thread to transfer block " + b.id + " to " + other + ":50010"; }
            case 19 -> { component = "dfs.FSDataset"; content = "Reopen Block " + b.id; }
            case 20 -> { level = "WARN"; component = "dfs.FSDataset"; content = "Unexpected error trying to delete block " + b.id + ". BlockInfo not found in volumeMap."; }
            case 21 -> { component = "dfs.FSDataset"; content = "Deleting block " + b.id + " file /mnt/hadoop/dfs/data/current/subdir" + rnd.nextInt(64) + "/" + b.id; }
            case 22 -> { component = "dfs.FSNamesystem"; content = "BLOCK* NameSystem.allocateBlock: " + b.file + ". " + b.id; }
            case 23 -> { component = "dfs.FSNamesystem"; content = "BLOCK* NameSystem.delete: " + b.id + " is added to invalidSet of " + dn + ":50010"; }
            case 24 -> { component = "dfs.FSNamesystem"; content = "BLOCK* Removing block " + b.id + " from neededReplications as it does not belong to any file."; }
            case 25 -> { component = "dfs.FSNamesystem"; content = "BLOCK* ask " + dn + ":50010 to replicate " + b.id + " to datanode(s) " + other + ":50010"; }
            case 26 -> { component = "dfs.FSNamesystem"; content = "BLOCK* NameSystem.addStoredBlock: blockMap updated: " + dn + ":50010 is added to " + b.id + " size " + b.size; }
            case 27 -> { component = "dfs.FSNamesystem"; content = "BLOCK* NameSystem.addStoredBlock: Redundant addStoredBlock request received for " + b.id + " on " + dn + ":50010 size " + b.size; }
            case 28 -> { component = "dfs.FSNamesystem"; content = "BLOCK* NameSystem.addStoredBlock: addStoredBlock request received for " + b.id + " on " + dn + ":50010 size " + b.size + " But it does not belong to any file."; }
            case 29 -> { level = "WARN"; component = "dfs.PendingReplicationMonitor"; content = "PendingReplicationMonitor timed out block " + b.id; }
            case 30 -> { component = "dfs.FSNamesystem"; content = "BLOCK* ask " + dn + ":50010 to delete  " + b.id; }
            case UPGRADE_KEY -> { component = "dfs.DataNode$BlockReceiver"; content = UPGRADE_TEXT + b.id + " with CRC32C in " + rnd.nextInt(40) + " ms"; }
            default -> throw new IllegalArgumentException("no HDFS template for log key " + key);
        }
        // Thread ids: low numbers for the namesystem's handler threads, higher ones for data transfer threads.
        int pid = component.startsWith("dfs.FSNamesystem") ? 19 + rnd.nextInt(17) : 140 + rnd.nextInt(3000);
        return STAMP.format(time) + " " + pid + " " + level + " " + component + ": " + content;
    }
}
