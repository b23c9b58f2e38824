package dev.hstu.model.tasks.ranking;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hstu.model.config.RankingConfig;
import dev.hstu.model.ops.LinearParameters;
import java.util.ArrayList;
import java.util.List;

/**
 * The ranking task's fusion tower: per hidden layer {@code h = W x + b} then {@code h * sigmoid(LayerNorm(h))} (the
 * reference's SwishLayerNorm; plain SiLU {@code h * sigmoid(h)} without layer norm), and one linear output per task.
 * Its input is a candidate's encoder output next to that output times the candidate's unit-norm item row (the
 * reference's element-wise product of user and item embeddings), both scaled by {@code sqrt(d)} so that entries are
 * of order one however wide the model.
 *
 * <p>Input {@code [N, inputWidth]}, output {@code [N, tasks]} logits (raw predictions of MSE tasks). The ranking
 * benchmark's DLRM baseline puts the same tower on its own inputs.
 */
public final class FusionTower extends AbstractBlock {

    private static final float EPS = 1e-5f;

    private final boolean layerNorm;
    private final List<Parameter> weights = new ArrayList<>();
    private final List<Parameter> biases = new ArrayList<>();
    private final List<Parameter> gammas = new ArrayList<>();
    private final List<Parameter> betas = new ArrayList<>();
    private final List<Integer> widths;
    private final int tasks;

    /**
     * @param config the tower's hidden units, layer norm and tasks
     * @param inputWidth values per input row ({@code 2d} in the ranking task)
     */
    public FusionTower(RankingConfig config, int inputWidth) {
        this.layerNorm = config.layerNorm();
        this.widths = config.hiddenUnits();
        int in = inputWidth;
        for (int i = 0; i < widths.size(); i++) {
            int out = widths.get(i);
            weights.add(addParameter(LinearParameters.weight("hidden" + i + "Weight", out, in)));
            biases.add(addParameter(LinearParameters.bias("hidden" + i + "Bias", out)));
            if (layerNorm) {
                gammas.add(addParameter(Parameter.builder()
                        .setName("hidden" + i + "Gamma")
                        .setType(Parameter.Type.GAMMA)
                        .optShape(new Shape(out))
                        .build()));
                betas.add(addParameter(Parameter.builder()
                        .setName("hidden" + i + "Beta")
                        .setType(Parameter.Type.BETA)
                        .optShape(new Shape(out))
                        .build()));
            }
            in = out;
        }
        this.tasks = config.tasks().size();
        weights.add(addParameter(LinearParameters.weight("outputWeight", tasks, in)));
        biases.add(addParameter(LinearParameters.bias("outputBias", tasks)));
    }

    /**
     * @param ps parameter store
     * @param x {@code [N, 2d]} tower inputs
     * @return {@code [N, tasks]}
     */
    public NDArray apply(ParameterStore ps, NDArray x) {
        NDArray h = x;
        for (int i = 0; i < widths.size(); i++) {
            NDArray z = Linear.linear(h, value(ps, weights.get(i), x), value(ps, biases.get(i), x))
                    .singletonOrThrow();
            NDArray gate = layerNorm
                    ? LayerNorm.layerNorm(
                                    z,
                                    new Shape(widths.get(i)),
                                    value(ps, gammas.get(i), x),
                                    value(ps, betas.get(i), x),
                                    EPS)
                            .singletonOrThrow()
                    : z;
            h = z.mul(Activation.sigmoid(gate));
        }
        int last = widths.size();
        return Linear.linear(h, value(ps, weights.get(last), x), value(ps, biases.get(last), x))
                .singletonOrThrow();
    }

    private static NDArray value(ParameterStore ps, Parameter p, NDArray like) {
        return ps.getValue(p, like.getDevice(), false);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), tasks)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children: parameter shapes are fixed by the constructor
    }
}
