package dev.hstu.model.tasks.match;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import dev.hstu.model.config.MatchConfig;
import dev.hstu.model.modules.features.ItemEmbeddingTable;
import dev.hstu.model.ops.LinearParameters;
import java.util.ArrayList;
import java.util.List;

/**
 * The item tower of Match and the user tower's optional projection: the parameters the task adds to the encoder.
 *
 * <pre>
 *   x    = [ id(item) , genres(item) ]        id: the encoder's item-table row, 0 for an item without one;
 *                                             genres: the mean of learned genre rows (match.genres)
 *   h_i  = act(h_{i-1} W_i^T + b_i)           one per hidden unit width
 *   item = h W_out^T + b_out                  [outputWidth]; unit-norm under COSINE
 *   user = q (or q P^T + c with outputDim)    q the encoder's unit-norm query; unit-norm under COSINE
 * </pre>
 *
 * <p>Concatenating, not summing, the id and feature parts lets the MLP weigh them apart, so an item without an id
 * row is embedded from its features alone, not as a sum missing its largest term. The id part reads the encoder's
 * table, so training the tower also trains the rows the encoder reads its input from.
 */
public final class ItemTower extends AbstractBlock {

    private static final float NORM_EPS = 1e-6f;

    private final MatchConfig config;
    private final int outputWidth;
    private final int genreCount;
    private final Parameter genres;
    private final List<Parameter> weights = new ArrayList<>();
    private final List<Parameter> biases = new ArrayList<>();
    private final Parameter queryWeight;
    private final Parameter queryBias;

    /**
     * @param config the task's settings
     * @param embeddingDim the encoder width {@code d}
     */
    public ItemTower(MatchConfig config, int embeddingDim) {
        this.config = config;
        this.outputWidth = config.outputWidth(embeddingDim);
        this.genreCount = config.genres() == null ? 0 : config.genres().count();
        this.genres = genreCount == 0
                ? null
                : addParameter(Parameter.builder()
                        .setName("genres")
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(genreCount, embeddingDim))
                        .optInitializer(new TruncatedNormalInitializer(0.02f))
                        .build());
        int in = embeddingDim * (genreCount == 0 ? 1 : 2);
        List<Integer> widths = new ArrayList<>(config.hiddenUnits());
        widths.add(outputWidth);
        for (int i = 0; i < widths.size(); i++) {
            weights.add(addParameter(LinearParameters.weight("weight" + i, widths.get(i), in)));
            biases.add(addParameter(LinearParameters.bias("bias" + i, widths.get(i))));
            in = widths.get(i);
        }
        boolean projected = config.outputDim() > 0;
        this.queryWeight =
                projected ? addParameter(LinearParameters.weight("queryWeight", outputWidth, embeddingDim)) : null;
        this.queryBias = projected ? addParameter(LinearParameters.bias("queryBias", outputWidth)) : null;
    }

    /** @return the width of item vectors and of projected queries */
    public int outputWidth() {
        return outputWidth;
    }

    /**
     * @param ps parameter store
     * @param table the encoder's item table (the id part)
     * @param in the items
     * @param manager where the inputs are created (the model's device)
     * @return {@code [N, outputWidth]} item vectors, unit-norm under COSINE
     */
    public NDArray embed(ParameterStore ps, ItemEmbeddingTable table, ItemTowerInputs in, NDManager manager) {
        int n = in.size();
        long[] rows = new long[n];
        float[] present = new float[n];
        for (int i = 0; i < n; i++) {
            boolean has = ItemTowerInputs.hasIdRow(in.idRows()[i]);
            rows[i] = has ? in.idRows()[i] : 0;
            present[i] = has ? 1f : 0f;
        }
        NDArray ids = table.lookup(ps, manager.create(rows));
        DataType type = ids.getDataType();
        NDArray x = ids.mul(typed(manager.create(present, new Shape(n, 1)), type));
        if (genres != null) {
            NDArray g = ps.getValue(genres, manager.getDevice(), false);
            x = x.concat(
                    typed(manager.create(genreWeights(in.side().get(0)), new Shape(n, genreCount)), type)
                            .matMul(g),
                    1);
        }
        for (int i = 0; i < weights.size(); i++) {
            x = Linear.linear(
                            x,
                            ps.getValue(weights.get(i), manager.getDevice(), false),
                            ps.getValue(biases.get(i), manager.getDevice(), false))
                    .singletonOrThrow();
            if (i < weights.size() - 1) {
                x = activate(x);
            }
        }
        return normalized(x);
    }

    /**
     * @param ps parameter store
     * @param queries {@code [T, d]} the encoder's unit-norm queries
     * @return {@code [T, outputWidth]} the user tower's output: the queries, projected when {@code outputDim} is set
     */
    public NDArray project(ParameterStore ps, NDArray queries) {
        if (queryWeight == null) {
            return queries;
        }
        NDArray y = Linear.linear(
                        queries,
                        ps.getValue(queryWeight, queries.getDevice(), false),
                        ps.getValue(queryBias, queries.getDevice(), false))
                .singletonOrThrow();
        return normalized(y);
    }

    private NDArray normalized(NDArray x) {
        return config.similarity() == MatchConfig.Similarity.COSINE ? x.normalize(2, -1, NORM_EPS) : x;
    }

    private NDArray activate(NDArray x) {
        return switch (config.activation()) {
            case RELU -> Activation.relu(x);
            case GELU -> Activation.gelu(x);
            case SILU -> Activation.swish(x, 1f);
        };
    }

    /** Per item, {@code 1/k} on each of its {@code k} genre bits: the mean, so a many-genre item keeps the scale. */
    private float[] genreWeights(int[] masks) {
        float[] w = new float[masks.length * genreCount];
        for (int i = 0; i < masks.length; i++) {
            int bits = Integer.bitCount(masks[i] & ((1 << genreCount) - 1));
            for (int k = 0; k < genreCount && bits > 0; k++) {
                if ((masks[i] & (1 << k)) != 0) {
                    w[i * genreCount + k] = 1f / bits;
                }
            }
        }
        return w;
    }

    private static NDArray typed(NDArray array, DataType type) {
        return array.getDataType() == type ? array : array.toType(type, false);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("call embed(...) or project(...): the tower reads the item table too");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputWidth)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children: every parameter has its shape
    }
}
