package dev.hstu.sink;

import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * JSON Lines files of records, one object per line. Part files roll at every checkpoint and are committed only when
 * it completes, so a finished file holds exactly the records of the checkpoints it spans: no duplicate, no gap
 * after a restore. Files being written carry Flink's in-progress prefix and are not for readers.
 */
public final class JsonLinesFileSink {

    private JsonLinesFileSink() {}

    /** A sink writing {@code <prefix>-*.jsonl} part files under {@code directory} (a path or URI). */
    public static <T> FileSink<T> of(String directory, String prefix, Class<T> type) {
        return FileSink.forRowFormat(new Path(directory), new JsonLineEncoder<T>(type))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix(prefix)
                        .withPartSuffix(".jsonl")
                        .build())
                .build();
    }

    private static final class JsonLineEncoder<T> implements Encoder<T> {

        private static final long serialVersionUID = 1L;

        private final Class<T> type;
        private transient ObjectWriter writer;

        JsonLineEncoder(Class<T> type) {
            this.type = type;
        }

        @Override
        public void encode(T element, OutputStream stream) throws IOException {
            if (writer == null) {
                writer = JsonCodec.writerFor(type);
            }
            stream.write(writer.writeValueAsBytes(element));
            stream.write('\n');
        }
    }
}
