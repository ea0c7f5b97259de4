package io.anomalog.core.detect;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.anomalog.core.log.FormatSpec;
import io.anomalog.core.session.GroupingSpec;
import io.anomalog.core.util.AnomalogException;
import io.anomalog.core.util.Version;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Where a model came from, recorded once when it is trained (as Tribuo's {@code ModelProvenance}): the data
 * (each source's path and SHA-256), how it was read (format, grouping, miner settings, template store), and what
 * trained it (anomalog version and commit, Java, operating system, time). {@code detect} and {@code stream} read
 * new lines the way the format and grouping here say, unless told otherwise.
 *
 * @param input             what the training data was: {@code logs}, {@code structured}, {@code key-files} or
 *                          {@code protocol NAME}
 * @param sources           the files read, in order
 * @param format            how raw lines were split (null for other input)
 * @param grouping          how events became sequences ({@link GroupingSpec#toMap()}; null for key files)
 * @param miner             the template miner's settings (null when no template was mined)
 * @param templateStoreHash the hash of the template store the log keys came from, or null
 * @param anomalogVersion   the build that trained it
 * @param commit            its source commit, or "unknown"
 * @param java              Java vendor and version
 * @param os                operating system and architecture
 * @param createdAt         when the provenance was taken (ISO-8601)
 * @param lineage           for a version made by an update: its parent version and the feedback it applied; null
 *                          for a trained model
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(String input, List<DataSource> sources, FormatSpec format, Map<String, String> grouping,
                         Map<String, String> miner, String templateStoreHash, String anomalogVersion, String commit,
                         String java, String os, String createdAt, Lineage lineage) {

    public Provenance {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /**
     * Where an updated version came from.
     *
     * @param parent   the version it was updated from
     * @param feedback ids of the feedback records (anomaly ids) it applied
     */
    public record Lineage(String parent, List<String> feedback) {
        public Lineage {
            feedback = feedback == null ? List.of() : List.copyOf(feedback);
        }
    }

    /** The same provenance for a version made from this one by an update, taken now. */
    public Provenance withLineage(Lineage l) {
        Provenance now = of(input, List.of(), format, null, miner, templateStoreHash);
        return new Provenance(input, sources, format, grouping, miner, templateStoreHash, now.anomalogVersion(),
                now.commit(), now.java(), now.os(), now.createdAt(), l);
    }

    /** One input file. */
    public record DataSource(String path, String sha256, long bytes) {

        /** Reads the file once to hash it. */
        public static DataSource of(Path file) {
            try (InputStream in = Files.newInputStream(file)) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 16];
                long n = 0;
                int r;
                while ((r = in.read(buf)) > 0) {
                    md.update(buf, 0, r);
                    n += r;
                }
                return new DataSource(file.toString(), HexFormat.of().formatHex(md.digest()), n);
            } catch (IOException e) {
                throw new AnomalogException("cannot read " + file + ": " + e.getMessage());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Provenance of data read now by this build. */
    public static Provenance of(String input, List<Path> files, FormatSpec format, GroupingSpec grouping,
                                Map<String, String> miner, String templateStoreHash) {
        return new Provenance(input, files.stream().map(DataSource::of).toList(), format,
                grouping == null ? null : grouping.toMap(), miner, templateStoreHash, Version.current(),
                Version.commit(), System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"), Instant.now().toString(), null);
    }

    /** Provenance of sequences a protocol made from a dataset folder. */
    public static Provenance ofProtocol(String protocol, List<Path> files) {
        return of("protocol " + protocol, files, null, null, null, null);
    }

    /** The grouping, read back. */
    public GroupingSpec groupingSpec() {
        return GroupingSpec.of(grouping);
    }
}
