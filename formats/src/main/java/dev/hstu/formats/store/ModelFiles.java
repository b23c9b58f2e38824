package dev.hstu.formats.store;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The names of the files in a model version directory ({@link ModelStore}) or a training checkpoint. Each is
 * written through {@link dev.hstu.formats.io.AtomicFiles}; their content is the model's business.
 */
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
    /** The item vocabulary: the external id of each item row, a {@code .u64bin} id file. */
    public static final String VOCABULARY = "item_vocabulary.u64bin";
    /** The vocabulary's name in versions of the streaming trainer before the store had one layout. */
    public static final String LEGACY_VOCABULARY = "items.u64bin";

    private ModelFiles() {}

    /**
     * @param versionDir a version directory
     * @return its vocabulary file, under either name
     * @throws IllegalArgumentException naming both when it has none
     */
    public static Path vocabulary(Path versionDir) {
        for (String name : new String[] {VOCABULARY, LEGACY_VOCABULARY}) {
            Path file = versionDir.resolve(name);
            if (Files.exists(file)) {
                return file;
            }
        }
        throw new IllegalArgumentException(
                versionDir + " has no item vocabulary (" + VOCABULARY + " or " + LEGACY_VOCABULARY + ")");
    }
}
