package dev.hstu.sink;

import dev.hstu.formats.vectors.EmbeddingFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;

/**
 * Collects the embeddings of one checkpoint in memory and, when the checkpoint's barrier arrives, writes them as one
 * hidden part per model version for {@link EmbeddingFileCommitter} to reveal. Nothing is buffered across a
 * checkpoint, so the writer has no state of its own: a restore replays the records after the checkpoint.
 */
final class EmbeddingFileWriter implements CommittingSinkWriter<QueryEmbedding, EmbeddingPart> {

    private final Path directory;
    private final int subtask;
    /** Parts of an attempt restored from checkpoint N sort after every part that N committed. */
    private final long restoredCheckpoint;

    private long sequence;
    /** Per model version, the newest vector of each user in this checkpoint. */
    private final Map<Long, Map<Long, float[]>> byVersion = new TreeMap<>();

    EmbeddingFileWriter(Path directory, int subtask, long restoredCheckpoint) {
        this.directory = directory;
        this.subtask = subtask;
        this.restoredCheckpoint = restoredCheckpoint;
    }

    @Override
    public void write(QueryEmbedding embedding, Context context) {
        Map<Long, float[]> users = byVersion.computeIfAbsent(embedding.modelVersion(), v -> new LinkedHashMap<>());
        float[] previous = users.put(embedding.userId(), embedding.embedding());
        if (previous != null && previous.length != embedding.embedding().length) {
            throw new IllegalArgumentException("model version " + embedding.modelVersion() + " has embeddings of "
                    + previous.length + " and of " + embedding.embedding().length + " floats");
        }
    }

    @Override
    public void flush(boolean endOfInput) {
        // Parts are written in prepareCommit, which follows every flush: one pair of files per checkpoint.
    }

    @Override
    public Collection<EmbeddingPart> prepareCommit() throws IOException {
        List<EmbeddingPart> parts = new ArrayList<>(byVersion.size());
        String name = EmbeddingFileSink.partName(restoredCheckpoint, sequence++, subtask);
        for (var entry : byVersion.entrySet()) {
            parts.add(writePart(EmbeddingFileSink.versionDir(directory, entry.getKey()), name, entry.getValue()));
        }
        byVersion.clear();
        return parts;
    }

    private static EmbeddingPart writePart(Path versionDir, String name, Map<Long, float[]> users) throws IOException {
        int dim = users.values().iterator().next().length;
        long[] ids = new long[users.size()];
        float[] vectors = new float[users.size() * dim];
        int row = 0;
        for (var user : users.entrySet()) {
            float[] vector = user.getValue();
            if (vector.length != dim) {
                throw new IllegalArgumentException(
                        "embeddings of " + vector.length + " and " + dim + " floats in " + versionDir);
            }
            ids[row] = user.getKey();
            System.arraycopy(vector, 0, vectors, row * dim, dim);
            row++;
        }
        // A leftover of an attempt that failed before committing may have this name: its files are replaced.
        Path pending = Files.createDirectories(versionDir.resolve(EmbeddingFileSink.pendingName(name)));
        EmbeddingFiles.writeU64(pending.resolve(EmbeddingPart.IDS), ids);
        EmbeddingFiles.writeFbin(pending.resolve(EmbeddingPart.VECTORS), vectors, dim);
        return new EmbeddingPart(pending.toString(), versionDir.resolve(name).toString());
    }

    @Override
    public void close() {
        byVersion.clear();
    }
}
