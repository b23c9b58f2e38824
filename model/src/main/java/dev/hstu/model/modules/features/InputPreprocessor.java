package dev.hstu.model.modules.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import dev.hstu.model.config.HstuConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns item embeddings into the STU stack's input: {@code Dropout(sum of the input features)},
 * zero at padding, the features being those of {@link InputFeatures} the config turns on (item *
 * sqrt(d), position, action [, hour of week, gap to previous] [, dense] [, multimodal] [, user]).
 *
 * <p>Every feature only depends on its own event or on the sequence as a whole, so an event's
 * input never depends on events after it. User features are added to every position rather than
 * prepended as a context token, which would shift every position, target and causal mask by one.
 *
 * <p>With {@code featureGating}, the features' fields feed a SENet gate ({@link FeatureGating})
 * that weighs them per event before summing, in the same order.
 *
 * <p>NDList contract: inputs named by {@link FeatureInputs}, {@code itemEmbeddings [B,L,d]} and
 * {@code valid [B,L]} float among them, with the tensors of every feature the config turns on;
 * output {@code ([B,L,d])}.
 */
public final class InputPreprocessor extends AbstractBlock {

    /** Rows of the hour-of-week table: 7 days x 24 hours. */
    public static final int HOURS_PER_WEEK = TimeFeatures.HOURS_PER_WEEK;

    /** The NDList name of the {@code [B, L]} validity mask input. */
    public static final String VALID = "valid";

    /**
     * The order in which saved models hold the preprocessor's blocks (DJL saves and loads them in
     * registration order, which used to be this one); blocks of newer features follow.
     */
    private static final List<String> SAVED_CHILD_ORDER =
            List.of("denseProjection", "actionBits", "multimodal", "userFeatures");

    private final float dropout;
    private final int dim;
    private final List<InputFeature> features;
    private final Map<String, Function<Shape, Shape[]>> childShapes = new HashMap<>();
    private final FeatureGating gating;

    /** @param config model configuration (validated) */
    public InputPreprocessor(HstuConfig config) {
        this.dropout = config.features().inputDropout();
        this.dim = config.encoder().embeddingDim();
        Map<String, Block> children = new LinkedHashMap<>();
        FeatureRegistrar registrar = new FeatureRegistrar() {
            @Override
            public Parameter table(String name, int rows) {
                return addParameter(Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(rows, dim))
                        .optInitializer(new TruncatedNormalInitializer(0.02f))
                        .build());
            }

            @Override
            public <B extends Block> B child(String name, B block, Function<Shape, Shape[]> inputShapes) {
                if (children.putIfAbsent(name, block) != null) {
                    throw new IllegalArgumentException("two input features register a block named " + name);
                }
                childShapes.put(name, inputShapes);
                return block;
            }
        };
        List<InputFeature> built = new ArrayList<>();
        for (InputFeature.Kind kind : InputFeatures.enabled(config)) {
            built.add(kind.create(config, registrar));
        }
        this.features = Collections.unmodifiableList(built);
        // a child block only when on, so models without the feature keep their parameter files
        List<String> order = new ArrayList<>(children.keySet());
        order.sort((a, b) -> Integer.compare(savedRank(a), savedRank(b)));
        for (String name : order) {
            addChildBlock(name, children.get(name));
        }
        this.gating = config.features().gating() != null
                ? addChildBlock(
                        "gating",
                        new FeatureGating(
                                fieldCount(features), config.features().gating().reduction()))
                : null;
    }

    private static int savedRank(String child) {
        int rank = SAVED_CHILD_ORDER.indexOf(child);
        return rank < 0 ? SAVED_CHILD_ORDER.size() : rank;
    }

    /**
     * @param config model configuration
     * @return the fields the input sums (or gates): item, position, action, then each optional one
     */
    public static int fieldCount(HstuConfig config) {
        return fieldCount(new InputPreprocessor(config).features);
    }

    private static int fieldCount(List<InputFeature> features) {
        return features.stream().mapToInt(InputFeature::fieldCount).sum();
    }

    /**
     * @param ps parameter store
     * @param itemEmbeddings {@code [B, L, d]} raw item rows
     * @param inputs the other inputs; those of features the config turns on are required
     * @param valid {@code [B, L]} 1 for events, 0 for padding, in the model's float type
     * @param training enables dropout
     * @return {@code [B, L, d]}
     * @throws IllegalArgumentException if an input the config turns on is missing
     */
    public NDArray apply(
            ParameterStore ps, NDArray itemEmbeddings, FeatureInputs inputs, NDArray valid, boolean training) {
        FeatureInputs in = inputs.with(FeatureInputs.ITEM_EMBEDDINGS, itemEmbeddings);
        NDArray x = gating != null ? gatedSum(ps, itemEmbeddings.getShape(), in) : sum(ps, in);
        if (training && dropout > 0f) {
            x = Dropout.dropout(x, dropout, true).singletonOrThrow();
        }
        return x.mul(valid.expandDims(2));
    }

    /** The ungated input, added in registration order so older models' sums are bit-identical. */
    private NDArray sum(ParameterStore ps, FeatureInputs in) {
        NDArray x = null;
        for (InputFeature feature : features) {
            x = feature.addTo(ps, in, x);
        }
        return x;
    }

    private NDArray gatedSum(ParameterStore ps, Shape shape, FeatureInputs in) {
        NDList fields = new NDList(gating.fields());
        for (InputFeature feature : features) {
            for (NDArray field : feature.fields(ps, in)) {
                fields.add(field.getShape().equals(shape) ? field : field.broadcast(shape));
            }
        }
        return gating.apply(ps, fields);
    }

    /** @return the input features, in field order */
    public List<InputFeature> features() {
        return features;
    }

    /**
     * @return the projections of the fixed multimodal item embeddings, where their table is attached
     * @throws IllegalStateException if the config has no {@code multimodalDims}
     */
    public MultimodalItemFeatures multimodal() {
        for (InputFeature feature : features) {
            if (feature instanceof MultimodalItemFeatures multimodal) {
                return multimodal;
            }
        }
        throw new IllegalStateException(
                "model.features.multimodalDims is empty: the model has no multimodal item features");
    }

    /** @return the SENet gate over the input fields, or null without {@code featureGating} */
    public FeatureGating gating() {
        return gating;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        Map<String, NDArray> named = new LinkedHashMap<>();
        for (NDArray array : inputs) {
            if (array.getName() == null || array.getName().isEmpty()) {
                throw new IllegalArgumentException(
                        "the input preprocessor reads its inputs by name; got an unnamed one of shape "
                                + array.getShape());
            }
            named.put(array.getName(), array);
        }
        FeatureInputs in = new FeatureInputs(named);
        NDArray items = in.require(FeatureInputs.ITEM_EMBEDDINGS, "the input preprocessor needs itemEmbeddings");
        NDArray valid = in.require(VALID, "the input preprocessor needs the valid mask");
        return new NDList(apply(ps, items, in, valid, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // every child's parameter shapes come from the config; the input shapes are only recorded
        Shape hidden = inputShapes[0];
        getChildren().forEach(pair -> {
            Block child = pair.getValue();
            Shape[] shapes = child == gating
                    ? new Shape[] {hidden}
                    : shapesOf(pair.getKey()).apply(hidden);
            child.initialize(manager, dataType, shapes);
        });
    }

    private Function<Shape, Shape[]> shapesOf(String childKey) {
        // DJL prefixes a child's name with its number ("01denseProjection")
        return childShapes.get(childKey.replaceFirst("^\\d+", ""));
    }
}
