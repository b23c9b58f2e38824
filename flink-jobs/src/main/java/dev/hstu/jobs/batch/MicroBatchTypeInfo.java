package dev.hstu.jobs.batch;

import dev.hstu.model.data.MicroBatch;
import dev.hstu.model.data.MicroBatchCodec;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's type information for a {@link MicroBatch}: the batch travels in {@link MicroBatchCodec}'s form, the one
 * it has on the topic, instead of through Kryo (its columns are not a POJO). A batch is immutable, so a copy is
 * the batch itself.
 */
public final class MicroBatchTypeInfo extends TypeInformation<MicroBatch> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<MicroBatch> getTypeClass() {
        return MicroBatch.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<MicroBatch> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "MicroBatch";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MicroBatchTypeInfo;
    }

    @Override
    public int hashCode() {
        return MicroBatchTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof MicroBatchTypeInfo;
    }

    /** Writes the codec's bytes behind their length. */
    public static final class Serializer extends TypeSerializerSingleton<MicroBatch> {

        private static final long serialVersionUID = 1L;
        static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public MicroBatch createInstance() {
            return new MicroBatch(new long[0], new int[] {0}, new long[0], new int[0], new long[0], new int[0], 0L);
        }

        @Override
        public MicroBatch copy(MicroBatch from) {
            return from;
        }

        @Override
        public MicroBatch copy(MicroBatch from, MicroBatch reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(MicroBatch batch, DataOutputView target) throws IOException {
            byte[] bytes = MicroBatchCodec.encode(batch);
            target.writeInt(bytes.length);
            target.write(bytes);
        }

        @Override
        public MicroBatch deserialize(DataInputView source) throws IOException {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            return MicroBatchCodec.decode(bytes);
        }

        @Override
        public MicroBatch deserialize(MicroBatch reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            int length = source.readInt();
            target.writeInt(length);
            target.write(source, length);
        }

        @Override
        public TypeSerializerSnapshot<MicroBatch> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** The serializer has no configuration; the codec's version travels in every record. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<MicroBatch> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
