package dev.hstu.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reveals the parts of a completed checkpoint by renaming each hidden part directory to its final name: one atomic
 * rename per pair of files, so a reader sees both files of a part or neither. Committing again after a restore finds
 * the part already renamed and leaves it.
 */
final class EmbeddingFileCommitter implements Committer<EmbeddingPart> {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingFileCommitter.class);

    @Override
    public void commit(Collection<CommitRequest<EmbeddingPart>> requests) throws IOException {
        for (CommitRequest<EmbeddingPart> request : requests) {
            EmbeddingPart part = request.getCommittable();
            if (Files.isDirectory(part.pending())) {
                Files.move(part.pending(), part.committed(), StandardCopyOption.ATOMIC_MOVE);
            } else if (Files.isDirectory(part.committed())) {
                request.signalAlreadyCommitted();
            } else {
                LOG.error(
                        "Embedding part {} is lost: neither it nor its pending directory {} exists",
                        part.committedDir(),
                        part.pendingDir());
                request.signalFailedWithKnownReason(new IOException(
                        "embedding part " + part.committedDir() + " has neither a pending nor a committed directory"));
            }
        }
    }

    @Override
    public void close() {}
}
