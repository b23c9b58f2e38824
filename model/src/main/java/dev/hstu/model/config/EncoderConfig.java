package dev.hstu.model.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/** The sequence encoder as a whole: which layers, how wide, how long a sequence. */
@JsonDeserialize(using = SectionDeserializer.class)
public record EncoderConfig(
        @Doc("layer type: HSTU or the TRANSFORMER (SASRec-style) baseline")
        EncoderType type,

        @Doc("model width d") int embeddingDim,

        @Doc("longest sequence the model accepts (rows of the absolute position table)")
        int maxSeqLen) {

    private static final EncoderConfig DEFAULTS = new EncoderConfig(EncoderType.HSTU, 64, 200);

    /** @return HSTU, d=64, sequences up to 200 events */
    public static EncoderConfig defaults() {
        return DEFAULTS;
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        Checks.require(problems, type != null, "encoder.type", "must be HSTU or TRANSFORMER", type);
        Checks.require(problems, embeddingDim >= 1, "encoder.embeddingDim", "must be >= 1", embeddingDim);
        Checks.require(problems, maxSeqLen >= 2, "encoder.maxSeqLen", "must be >= 2", maxSeqLen);
    }
}
