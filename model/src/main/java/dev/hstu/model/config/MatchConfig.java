package dev.hstu.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.hstu.model.modules.features.GenreEmbedding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The two-tower Match task (tzrec's HSTU Match): the encoder is the user tower, and an item tower turns each item's
 * id row and side features into the vector queries are scored against, so an item without an id row is still
 * scored from its features. Negatives, their sampling, logQ and the softmax temperature are {@code model.task}'s.
 *
 * @param hiddenUnits widths of the item tower's hidden layers, each followed by the activation
 * @param activation the hidden layers' activation
 * @param outputDim width of both towers' outputs; 0: the encoder width (no projection of the user tower)
 * @param similarity how a query and an item vector are compared
 * @param genres the item's genres as a tower input (MovieLens movies.csv); null: none
 * @param idDropout share of training items whose id part is zeroed, so the tower learns to embed an item without an
 *     id row from its features (as DropoutNet does for cold start)
 */
@JsonDeserialize(using = SectionDeserializer.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MatchConfig(
        @Doc("widths of the item tower's hidden layers (each followed by the activation); []: one linear layer")
        List<Integer> hiddenUnits,

        @Doc("activation of the item tower's hidden layers: RELU, GELU or SILU")
        Activation activation,

        @Doc("width of both towers' outputs; 0: the encoder width, else the user tower is projected to it")
        int outputDim,

        @Doc("COSINE (unit-norm tower outputs) or INNER_PRODUCT (raw item tower output)")
        Similarity similarity,

        @Doc("the item's genres (side file movies, MovieLens movies.csv) as an item tower input; absent: none")
        GenreEmbedding.Config genres,

        @Doc("share of training positives and negatives whose id part is zeroed, so that the tower learns to embed"
                + " items without an id row from their features; 0: none")
        float idDropout) {

    /** A hidden layer's non-linearity. */
    public enum Activation {
        RELU,
        GELU,
        SILU
    }

    /** How queries and item vectors are compared. */
    public enum Similarity {
        /** Both unit-norm: the dot product is the cosine, bounded, what the temperature is tuned for. */
        COSINE,
        /** The unit-norm query against the raw item vector: an item's norm can raise all its scores. */
        INNER_PRODUCT
    }

    private static final MatchConfig DEFAULTS =
            new MatchConfig(List.of(128), Activation.RELU, 0, Similarity.COSINE, null, 0.5f);

    /** Copies the list so that a config stays immutable. */
    public MatchConfig {
        // not List.copyOf: a null width must reach check() and its message
        hiddenUnits = hiddenUnits == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(hiddenUnits));
    }

    /**
     * @return one hidden layer of 128 units, RELU, output at the encoder width, cosine, no side feature, id part
     *     dropped for half the training items
     */
    public static MatchConfig defaults() {
        return DEFAULTS;
    }

    /**
     * @param embeddingDim the encoder width
     * @return the width queries and item vectors are compared at
     */
    public int outputWidth(int embeddingDim) {
        return outputDim > 0 ? outputDim : embeddingDim;
    }

    /**
     * @param problems where each invalid setting is reported
     * @param task the retrieval settings whose negatives Match shares, for the tricks it does not support
     */
    public void check(List<String> problems, RetrievalConfig task) {
        for (Integer units : hiddenUnits) {
            Checks.require(
                    problems, units != null && units >= 1, "match.hiddenUnits", "widths must be >= 1", hiddenUnits);
        }
        Checks.require(problems, activation != null, "match.activation", "must be RELU, GELU or SILU", activation);
        Checks.require(problems, outputDim >= 0, "match.outputDim", "must be >= 0 (0 = the encoder width)", outputDim);
        Checks.require(problems, similarity != null, "match.similarity", "must be COSINE or INNER_PRODUCT", similarity);
        if (genres != null) {
            genres.check(problems, "match.genres");
        }
        Checks.require(problems, idDropout >= 0f && idDropout < 1f, "match.idDropout", "must be in [0, 1)", idDropout);
        Checks.require(
                problems,
                task.rankPackage() == null
                        && task.hardNegatives() == null
                        && task.rankLoss() == RankLoss.NONE
                        && !task.actionAwareLoss(),
                "match",
                "takes model.task's negatives, logQ and temperature but not its rank package, hard negatives, rank"
                        + " loss or action-aware weights (leave them off)",
                "a task section with them on");
        Checks.require(
                problems,
                task.negativeSampling() != NegativeSampling.ALL,
                "task.negativeSampling",
                "must be UNIFORM or POPULARITY with model.match: ALL would pass the whole catalogue through the item"
                        + " tower every step",
                task.negativeSampling());
    }
}
