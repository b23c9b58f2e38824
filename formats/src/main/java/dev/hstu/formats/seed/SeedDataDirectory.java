package dev.hstu.formats.seed;

import dev.hstu.formats.io.AtomicFiles;
import dev.hstu.formats.jsonl.JsonLines;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The seed's data directory: {@code seq.jsonl} (training history), {@code indexer.json} (the
 * JSON form of {@code indexer.pkl}), {@code creative_emb/} (multimodal item embeddings, one
 * {@code emb_<feature id>_<width>} directory of JSON lines or {@code .fbin} per feature), {@code
 * predict_seq.jsonl} (the users to recommend for, as {@code seq.jsonl}) and {@code
 * predict_set.jsonl} (the candidate items) and {@code heldout.jsonl} (each user's held-out item). Every file but the
 * one a caller asks for is optional.
 *
 * <p>{@code item_feat_dict.json} (sparse item features) is not read: the model has no sparse item
 * feature input.
 */
public final class SeedDataDirectory {

    /** Training history. */
    public static final String SEQ = "seq.jsonl";
    /** Id index. */
    public static final String INDEXER = "indexer.json";
    /** Multimodal embeddings. */
    public static final String CREATIVE_EMB = "creative_emb";
    /** Users to recommend for. */
    public static final String PREDICT_SEQ = "predict_seq.jsonl";
    /** Candidate items. */
    public static final String PREDICT_SET = "predict_set.jsonl";
    /** Each user's held-out item, the truth {@code hstu predict --truth} scores against. */
    public static final String HELD_OUT = "heldout.jsonl";

    private static final Pattern EMBEDDING = Pattern.compile("emb_(\\d+)_(\\d+)(\\.fbin)?");

    private final Path root;

    /**
     * @param root the directory
     * @throws IllegalArgumentException if it is not a directory
     */
    public SeedDataDirectory(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("seed data directory not found: " + root.toAbsolutePath());
        }
        this.root = root;
    }

    /** @return the directory */
    public Path root() {
        return root;
    }

    /**
     * @param name one of the file names above
     * @return its path
     * @throws IllegalArgumentException naming the file when it is missing
     */
    public Path require(String name) {
        Path file = root.resolve(name);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(root + " has no " + name);
        }
        return file;
    }

    /** @return whether the directory has {@code name} */
    public boolean has(String name) {
        return Files.exists(root.resolve(name));
    }

    /**
     * @return the id index, empty when the directory has none (its files then hold original ids)
     * @throws IOException on a malformed index
     */
    public Optional<SeedIndexer> indexer() throws IOException {
        return has(INDEXER) ? Optional.of(SeedIndexer.read(root.resolve(INDEXER))) : Optional.empty();
    }

    /**
     * @return feature id to its embedding files (a directory of JSON lines or an {@code .fbin}),
     *     from the names {@code creative_emb/emb_<id>_<width>}; empty without {@code creative_emb/}
     * @throws IOException on a listing error or two entries for one feature
     */
    public Map<Integer, Path> multimodalFiles() throws IOException {
        return multimodal();
    }

    /**
     * @return feature id to its width, from the same names
     * @throws IOException as {@link #multimodalFiles()}
     */
    public Map<Integer, Integer> multimodalDims() throws IOException {
        Map<Integer, Path> files = multimodal();
        Map<Integer, Integer> dims = new TreeMap<>();
        for (Map.Entry<Integer, Path> e : files.entrySet()) {
            Matcher m = EMBEDDING.matcher(e.getValue().getFileName().toString());
            if (m.matches()) {
                dims.put(e.getKey(), Integer.parseInt(m.group(2)));
            }
        }
        return dims;
    }

    private Map<Integer, Path> multimodal() throws IOException {
        Path dir = root.resolve(CREATIVE_EMB);
        Map<Integer, Path> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
                Matcher m = EMBEDDING.matcher(p.getFileName().toString());
                if (!m.matches() || (m.group(3) == null && !Files.isDirectory(p))) {
                    continue;
                }
                int feature = Integer.parseInt(m.group(1));
                Path previous = files.put(feature, p);
                if (previous != null) {
                    throw new IOException(dir + " has two embeddings of feature " + feature + ": "
                            + previous.getFileName() + " and " + p.getFileName());
                }
            }
        }
        return files;
    }

    /**
     * @return the candidates of {@code predict_set.jsonl}, in file order
     * @throws IOException on a read error or a malformed line, naming it
     * @throws IllegalArgumentException if the file is missing
     */
    public List<PredictCandidate> candidates() throws IOException {
        Path file = require(PREDICT_SET);
        List<PredictCandidate> candidates = new ArrayList<>();
        Set<Long> retrievalIds = new HashSet<>();
        JsonLines.forEachObject(
                file, "{\"creative_id\": id, \"retrieval_id\": id, \"features\": {...}}", (where, node) -> {
                    long creative = JsonLines.unsignedId(where, "creative_id", node.get("creative_id"));
                    long retrieval = JsonLines.unsignedId(where, "retrieval_id", node.get("retrieval_id"));
                    if (!retrievalIds.add(retrieval)) {
                        throw new IOException(
                                where + ": retrieval_id " + Long.toUnsignedString(retrieval) + " appears twice");
                    }
                    candidates.add(new PredictCandidate(creative, retrieval));
                });
        return candidates;
    }

    /**
     * Writes a {@code predict_set.jsonl}: one {@code {"creative_id": id, "retrieval_id": id, "features": {}}} per
     * candidate, in the given order, through {@link AtomicFiles}.
     *
     * @param file the file
     * @param candidates the candidates
     * @throws IOException on failure
     */
    public static void writeCandidates(Path file, List<PredictCandidate> candidates) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            for (PredictCandidate c : candidates) {
                w.append("{\"creative_id\":")
                        .append(Long.toUnsignedString(c.creativeId()))
                        .append(",\"retrieval_id\":")
                        .append(Long.toUnsignedString(c.retrievalId()))
                        .append(",\"features\":{}}\n");
            }
            w.flush();
        });
    }

    /**
     * Reads a {@code heldout.jsonl}: one {@code {"user_id": id, "creative_id": id}} per line.
     *
     * @param file the file
     * @return user id to its held-out creative id, in file order
     * @throws IOException on a read error, a malformed line (named by file and line) or a file without any
     */
    public static Map<Long, Long> readHeldOut(Path file) throws IOException {
        Map<Long, Long> heldOut = new LinkedHashMap<>();
        JsonLines.forEachObject(
                file,
                "{\"user_id\": id, \"creative_id\": id}",
                (where, node) -> heldOut.put(
                        JsonLines.unsignedId(where, "user_id", node.get("user_id")),
                        JsonLines.unsignedId(where, "creative_id", node.get("creative_id"))));
        if (heldOut.isEmpty()) {
            throw new IOException(file + " holds no held-out item");
        }
        return heldOut;
    }

    /**
     * Writes a {@code heldout.jsonl} through {@link AtomicFiles}.
     *
     * @param file the file
     * @param heldOut user id to its held-out creative id, written in iteration order
     * @throws IOException on failure
     */
    public static void writeHeldOut(Path file, Map<Long, Long> heldOut) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            for (Map.Entry<Long, Long> e : heldOut.entrySet()) {
                w.append("{\"user_id\":")
                        .append(Long.toUnsignedString(e.getKey()))
                        .append(",\"creative_id\":")
                        .append(Long.toUnsignedString(e.getValue()))
                        .append("}\n");
            }
            w.flush();
        });
    }
}
