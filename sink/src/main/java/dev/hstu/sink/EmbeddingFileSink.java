package dev.hstu.sink;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Query embeddings as binary vector files, committed per checkpoint. Each subtask writes, per checkpoint and model
 * version, one part: a directory {@code <dir>/model-<version>/part-<attempt>-<seq>-<subtask>/} with
 * {@value EmbeddingPart#VECTORS} (little-endian int32 count, int32 dim, count*dim float32) and
 * {@value EmbeddingPart#IDS} (the little-endian uint64 user id of each row), in the format of
 * {@code dev.hstu.formats.vectors.EmbeddingFiles}. A part holds each user at most once, with the newest vector of the
 * checkpoint.
 *
 * <p>Parts are written under a hidden name ({@code .part-*.inprogress}) and renamed when their checkpoint
 * completes, so a committed part is complete and holds only committed data; hidden directories are never for
 * readers (a job that failed may leave some behind). On one subtask, part names sort in the order they were
 * committed, so the newest vector of a user within a model version is the one in the last part that holds it.
 * The directory must be a local (or mounted) file system path.
 */
public final class EmbeddingFileSink implements Sink<QueryEmbedding>, SupportsCommitter<EmbeddingPart> {

    private static final long serialVersionUID = 1L;
    private static final String PENDING_PREFIX = ".";
    private static final String PENDING_SUFFIX = ".inprogress";

    private final String directory;

    private EmbeddingFileSink(String directory) {
        this.directory = directory;
    }

    /** A sink writing parts under {@code directory} (a path or a {@code file:} URI). */
    public static EmbeddingFileSink of(String directory) {
        return new EmbeddingFileSink(directory);
    }

    @Override
    public SinkWriter<QueryEmbedding> createWriter(WriterInitContext context) {
        return new EmbeddingFileWriter(
                path(directory),
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getRestoredCheckpointId().orElse(0L));
    }

    @Override
    public Committer<EmbeddingPart> createCommitter(CommitterInitContext context) {
        return new EmbeddingFileCommitter();
    }

    @Override
    public SimpleVersionedSerializer<EmbeddingPart> getCommittableSerializer() {
        return new EmbeddingPart.Serializer();
    }

    /** The committed parts of {@code modelVersion} under {@code directory}, in name order. */
    public static List<Path> committedParts(Path directory, long modelVersion) throws IOException {
        Path versionDir = versionDir(directory, modelVersion);
        if (!Files.isDirectory(versionDir)) {
            return List.of();
        }
        try (Stream<Path> parts = Files.list(versionDir)) {
            return parts.filter(p -> !p.getFileName().toString().startsWith(PENDING_PREFIX))
                    .sorted()
                    .toList();
        }
    }

    static Path versionDir(Path directory, long modelVersion) {
        return directory.resolve(String.format("model-%08d", modelVersion));
    }

    /** Zero-padded so that the names of one subtask sort in the order they were written. */
    static String partName(long restoredCheckpoint, long sequence, int subtask) {
        return String.format("part-%08d-%08d-%d", restoredCheckpoint, sequence, subtask);
    }

    static String pendingName(String partName) {
        return PENDING_PREFIX + partName + PENDING_SUFFIX;
    }

    private static Path path(String directory) {
        return directory.startsWith("file:") ? Path.of(URI.create(directory)) : Path.of(directory);
    }
}
