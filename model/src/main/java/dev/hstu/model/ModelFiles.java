package dev.hstu.model;

/** File names of a model/checkpoint directory; each is written through {@code dev.hstu.formats.io.AtomicFiles}. */
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
}
