package dev.hstu.sink;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * One written, not yet committed pair of embedding files: the hidden directory that holds them and the name it
 * takes when its checkpoint completes. The committable of {@link EmbeddingFileSink}.
 *
 * @param pendingDir where the writer left {@value #VECTORS} and {@value #IDS}
 * @param committedDir what {@code pendingDir} is renamed to on commit
 */
public record EmbeddingPart(String pendingDir, String committedDir) {

    /** The vectors of a part: {@code .fbin}, see {@code dev.hstu.formats.vectors.EmbeddingFiles}. */
    public static final String VECTORS = "query.fbin";
    /** The user id of each vector, same order: {@code .u64bin}. */
    public static final String IDS = "id.u64bin";

    Path pending() {
        return Path.of(pendingDir);
    }

    Path committed() {
        return Path.of(committedDir);
    }

    /** Flink keeps parts that are written but not committed in its checkpoints, in this form. */
    static final class Serializer implements SimpleVersionedSerializer<EmbeddingPart> {

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(EmbeddingPart part) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeUTF(part.pendingDir());
            out.writeUTF(part.committedDir());
            return out.getCopyOfBuffer();
        }

        @Override
        public EmbeddingPart deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown EmbeddingPart serialisation version " + version);
            }
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            return new EmbeddingPart(in.readUTF(), in.readUTF());
        }
    }
}
