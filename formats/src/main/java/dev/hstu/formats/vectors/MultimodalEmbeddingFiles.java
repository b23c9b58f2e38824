package dev.hstu.formats.vectors;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.formats.io.Utf8Lines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Owns the multimodal item embedding files: one feature's fixed vectors, each with its external item id. Two formats,
 * chosen by name:
 *
 * <ul>
 *   <li>{@code X.fbin} with the ids in {@code X_id.u64bin} ({@link EmbeddingFiles}: row {@code k}
 *       of the fbin is the vector of id {@code k}), the layout {@code hstu export} writes;
 *   <li>anything else: JSON lines {@code {"anonymous_cid": id, "emb": [floats]}} as in the seed's
 *       {@code creative_emb} files (the id a number or a numeric string, other fields ignored); a
 *       directory is read as all of its files, in name order, skipping hidden and {@code _}-marker
 *       files such as {@code _SUCCESS}.
 * </ul>
 *
 * <p>The reader hands every vector to a {@link VectorSink} in file order; what to keep (a model keeps the ids its
 * vocabulary knows, a later line for one id replacing an earlier one) is the sink's business.
 */
public final class MultimodalEmbeddingFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MultimodalEmbeddingFiles() {}

    /**
     * @param vectors vectors read
     * @param matched of those, vectors the sink kept
     */
    public record Loaded(long vectors, long matched) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Line(
            @JsonProperty("anonymous_cid") String id,
            @JsonProperty("emb") float[] emb) {}

    /** Receives each vector a file holds, with its id. */
    @FunctionalInterface
    public interface VectorSink {
        /**
         * @param where the file (and line or row), for messages
         * @param id the item id
         * @param vector its vector
         * @return whether the vector was kept
         * @throws IOException to refuse the file, naming {@code where}
         */
        boolean accept(String where, long id, float[] vector) throws IOException;
    }

    /**
     * Reads every vector of {@code path} (any of the formats above) into {@code sink}.
     *
     * @return what was read and kept
     * @throws IOException on a read error or a malformed file, naming it (and the line)
     */
    public static Loaded forEach(Path path, VectorSink sink) throws IOException {
        if (Files.isDirectory(path)) {
            long vectors = 0;
            long matched = 0;
            for (Path file : partFiles(path)) {
                Loaded part = readJsonLines(file, sink);
                vectors += part.vectors();
                matched += part.matched();
            }
            return new Loaded(vectors, matched);
        }
        if (path.getFileName().toString().endsWith(".fbin")) {
            return readFbin(path, idsFileOf(path), sink);
        }
        return readJsonLines(path, sink);
    }

    /**
     * @param fbin a vector file {@code X.fbin}
     * @return its id file {@code X_id.u64bin}
     */
    public static Path idsFileOf(Path fbin) {
        String name = fbin.getFileName().toString();
        return fbin.resolveSibling(name.substring(0, name.length() - ".fbin".length()) + "_id.u64bin");
    }

    private static List<Path> partFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(".")
                            && !f.getFileName().toString().startsWith("_"))
                    .sorted()
                    .toList();
        }
    }

    private static Loaded readJsonLines(Path file, VectorSink sink) throws IOException {
        long vectors = 0;
        long matched = 0;
        try (Utf8Lines in = Utf8Lines.open(file)) {
            for (Utf8Lines.Line read = in.next(); read != null; read = in.next()) {
                String text = read.text();
                String where = file + ":" + read.number();
                if (!read.utf8()) {
                    throw new IOException(where + ": the line is not UTF-8");
                }
                if (text.isBlank()) {
                    continue;
                }
                Line line;
                try {
                    line = JSON.readValue(text, Line.class);
                } catch (IOException e) {
                    throw new IOException(where + ": malformed JSON line: " + e.getMessage(), e);
                }
                if (line.id() == null || line.emb() == null) {
                    throw new IOException(where + ": expected {\"anonymous_cid\": id, \"emb\": [floats]}");
                }
                long id;
                try {
                    id = Long.parseLong(line.id());
                } catch (NumberFormatException e) {
                    throw new IOException(where + ": anonymous_cid must be an integer, got " + line.id(), e);
                }
                vectors++;
                matched += sink.accept(where, id, line.emb()) ? 1 : 0;
            }
        }
        return new Loaded(vectors, matched);
    }

    private static Loaded readFbin(Path fbin, Path ids, VectorSink sink) throws IOException {
        float[][] vectors = EmbeddingFiles.readFbin(fbin);
        long[] idList = EmbeddingFiles.readU64(ids);
        if (idList.length != vectors.length) {
            throw new IOException(
                    fbin + " has " + vectors.length + " vectors but " + ids + " has " + idList.length + " ids");
        }
        long matched = 0;
        for (int k = 0; k < vectors.length; k++) {
            matched += sink.accept(fbin + " row " + k, idList[k], vectors[k]) ? 1 : 0;
        }
        return new Loaded(vectors.length, matched);
    }
}
