package dev.hstu.model.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** The rank loss optionally added, with weight {@code rankLossWeight}, to the sampled-softmax (InfoNCE) loss. */
public enum RankLoss {
    /** InfoNCE only. */
    NONE,
    /**
     * BPR-style: per target, the mean over its negatives (shared and rank-package candidates) of
     * {@code softplus(neg - pos)} on the tempered scores; each negative is pushed below the
     * positive on its own, not only through the softmax's normaliser.
     */
    PAIRWISE,
    /**
     * ListNet over the target and its rank package, with graded relevance: the target above the
     * items the user clicked, above those only exposed, above random items. Needs {@code
     * rankPackageCounts}.
     */
    LISTWISE;

    /**
     * Accepts any letter case, so a config or flag may say {@code "pairwise"}.
     *
     * @param name the JSON value
     * @return the rank loss
     * @throws IllegalArgumentException naming the accepted values
     */
    @JsonCreator
    public static RankLoss parse(String name) {
        for (RankLoss r : values()) {
            if (r.name().equals(name.toUpperCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("model.task.rankLoss must be NONE, PAIRWISE or LISTWISE, got " + name);
    }
}
