package dev.hstu.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.formats.vectors.EmbeddingFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding file sink's writer and committer, driven as Flink drives them around checkpoints. */
class EmbeddingFileSinkTest {

    @TempDir
    Path dir;

    private static QueryEmbedding embedding(long user, long version, float... vector) {
        return new QueryEmbedding(user, vector, version, 1000 + user, 0);
    }

    @Test
    void aCommittedPartHoldsTheHeaderIdsAndVectorsOfItsCheckpoint() throws IOException {
        EmbeddingFileWriter writer = new EmbeddingFileWriter(dir, 1, 0);
        writer.write(embedding(7, 3, 1, 0, 0), null);
        writer.write(embedding(-2, 3, 0, 1, 0), null); // above 2^63: written as the same 64 bits
        writer.write(embedding(7, 3, 0, 0, 1), null); // the newest vector of a user wins
        writer.write(embedding(9, 4, 0.6f, 0.8f), null);
        writer.flush(false);

        List<EmbeddingPart> parts = new ArrayList<>(writer.prepareCommit());

        assertThat(parts).hasSize(2);
        assertThat(EmbeddingFileSink.committedParts(dir, 3))
                .as("nothing visible before the commit")
                .isEmpty();
        assertThat(parts)
                .allSatisfy(
                        p -> assertThat(Path.of(p.pendingDir()).getFileName().toString())
                                .startsWith(".")
                                .endsWith(".inprogress"));

        commit(parts);

        List<Path> v3 = EmbeddingFileSink.committedParts(dir, 3);
        assertThat(v3).hasSize(1);
        byte[] fbin = Files.readAllBytes(v3.get(0).resolve(EmbeddingPart.VECTORS));
        ByteBuffer header = ByteBuffer.wrap(fbin).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getInt()).as("count").isEqualTo(2);
        assertThat(header.getInt()).as("dim").isEqualTo(3);
        assertThat(fbin).hasSize(8 + 2 * 3 * 4);
        assertThat(EmbeddingFiles.readFbin(v3.get(0).resolve(EmbeddingPart.VECTORS)))
                .isDeepEqualTo(new float[][] {{0, 0, 1}, {0, 1, 0}});
        byte[] u64 = Files.readAllBytes(v3.get(0).resolve(EmbeddingPart.IDS));
        assertThat(u64).as("the seed's (n, 1) header, then the ids").hasSize(8 + 16);
        assertThat(ByteBuffer.wrap(u64).order(ByteOrder.LITTLE_ENDIAN).getInt(0))
                .isEqualTo(2);
        assertThat(ByteBuffer.wrap(u64).order(ByteOrder.LITTLE_ENDIAN).getInt(4))
                .isEqualTo(1);
        assertThat(ByteBuffer.wrap(u64).order(ByteOrder.LITTLE_ENDIAN).getLong(16))
                .isEqualTo(-2L);
        assertThat(EmbeddingFiles.readU64(v3.get(0).resolve(EmbeddingPart.IDS))).containsExactly(7L, -2L);

        List<Path> v4 = EmbeddingFileSink.committedParts(dir, 4);
        assertThat(v4).hasSize(1);
        assertThat(EmbeddingFiles.readFbin(v4.get(0).resolve(EmbeddingPart.VECTORS)))
                .isDeepEqualTo(new float[][] {{0.6f, 0.8f}});
        assertThat(EmbeddingFiles.readU64(v4.get(0).resolve(EmbeddingPart.IDS))).containsExactly(9L);
        assertThat(v4.get(0).getFileName().toString())
                .isEqualTo(v3.get(0).getFileName().toString())
                .endsWith("-1");
    }

    /**
     * Checkpoint 1 completes and commits; checkpoint 2's part is written but the job fails before the checkpoint
     * completes: readers see checkpoint 1's part only, and a committer restored with checkpoint 1's part finds it
     * committed already.
     */
    @Test
    void onlyCommittedCheckpointsAreVisibleAndARecommitChangesNothing() throws IOException {
        EmbeddingFileWriter writer = new EmbeddingFileWriter(dir, 0, 0);
        writer.write(embedding(1, 5, 1, 0), null);
        List<EmbeddingPart> first = new ArrayList<>(writer.prepareCommit());
        commit(first);
        writer.write(embedding(2, 5, 0, 1), null);
        List<EmbeddingPart> second = new ArrayList<>(writer.prepareCommit());
        assertThat(second).hasSize(1);
        assertThat(writer.prepareCommit())
                .as("an empty checkpoint writes nothing")
                .isEmpty();

        List<Path> visible = EmbeddingFileSink.committedParts(dir, 5);
        assertThat(visible).hasSize(1);
        assertThat(EmbeddingFiles.readU64(visible.get(0).resolve(EmbeddingPart.IDS)))
                .containsExactly(1L);
        try (Stream<Path> all = Files.list(visible.get(0).getParent())) {
            assertThat(all.map(p -> p.getFileName().toString()))
                    .as("the uncommitted part stays hidden")
                    .anyMatch(n -> n.startsWith(".part-"));
        }

        List<Request> again = commit(first);
        assertThat(again.get(0).alreadyCommitted).isTrue();
        assertThat(EmbeddingFileSink.committedParts(dir, 5)).isEqualTo(visible);

        // A new attempt restored from checkpoint 1 names its parts after every part committed before.
        EmbeddingFileWriter restored = new EmbeddingFileWriter(dir, 0, 1);
        restored.write(embedding(2, 5, 0, 1), null);
        commit(new ArrayList<>(restored.prepareCommit()));
        List<Path> after = EmbeddingFileSink.committedParts(dir, 5);
        assertThat(after).hasSize(2).startsWith(visible.get(0));
        assertThat(EmbeddingFiles.readU64(after.get(1).resolve(EmbeddingPart.IDS)))
                .containsExactly(2L);
    }

    @Test
    void thePendingPartSurvivesACheckpointAsItsNames() throws IOException {
        EmbeddingPart part = new EmbeddingPart("/a/.part-x.inprogress", "/a/part-x");
        EmbeddingPart.Serializer serializer = new EmbeddingPart.Serializer();
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(part)))
                .isEqualTo(part);
    }

    private static List<Request> commit(List<EmbeddingPart> parts) throws IOException {
        List<Request> requests = parts.stream().map(Request::new).toList();
        new EmbeddingFileCommitter().commit(new ArrayList<CommitRequest<EmbeddingPart>>(requests));
        for (Request r : requests) {
            assertThat(r.failure).as("commit of %s", r.part).isNull();
        }
        return requests;
    }

    /** What Flink hands a committer, recording what the committer says about it. */
    private static final class Request implements CommitRequest<EmbeddingPart> {
        final EmbeddingPart part;
        boolean alreadyCommitted;
        Throwable failure;

        Request(EmbeddingPart part) {
            this.part = part;
        }

        @Override
        public EmbeddingPart getCommittable() {
            return part;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            failure = t;
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            failure = t;
        }

        @Override
        public void retryLater() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void updateAndRetryLater(EmbeddingPart committable) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void signalAlreadyCommitted() {
            alreadyCommitted = true;
        }
    }
}
