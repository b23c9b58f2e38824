package dev.hstu.model;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** File names of a model/checkpoint directory and the atomic write they all go through. */
public final class ModelFiles {

    /** The {@code HstuConfig} as JSON. */
    public static final String CONFIG = "config.json";
    /** Parameter arrays in DJL's block serialisation (bit-exact). */
    public static final String PARAMETERS = "parameters.bin";
    /** Model state that is not a parameter (rows of the item table in use). */
    public static final String MODEL_STATE = "model-state.json";
    /** AdamW moments, one NDList. */
    public static final String OPTIMIZER = "optimizer.ndlist";
    /** Trainer counters (steps). */
    public static final String TRAINER_STATE = "trainer-state.json";

    private ModelFiles() {}

    /** Writes the content of one file. */
    @FunctionalInterface
    public interface Writer {
        /**
         * @param out the stream to write to
         * @throws IOException on failure
         */
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes to a temporary sibling, fsyncs it and renames it over {@code file}, so a reader sees
     * the old or the new file, never a partial one.
     *
     * @param file destination
     * @param writer produces the content
     * @throws IOException on failure
     */
    public static void writeAtomically(Path file, Writer writer) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
            writer.write(out);
        }
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
