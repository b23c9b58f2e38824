package dev.hstu.model.modules.features;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.hstu.model.HstuModel;
import dev.hstu.model.train.Autograd;
import java.util.List;

/** What the input-feature tests share: a manager, parameter look-ups by name, arrays as floats. */
final class FeatureTestSupport {

    private FeatureTestSupport() {}

    /** @return a base manager of the engine the model runs on, graph recording off outside gradient collectors; close it */
    static NDManager manager() {
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        Autograd.disableOnThisThread();
        return manager;
    }

    /**
     * @param model a model
     * @param suffix the end of the parameter's key, e.g. {@code "actionBits_bitEmbedding"}
     * @return the only parameter whose key ends so
     */
    static Parameter parameter(HstuModel model, String suffix) {
        for (Pair<String, Parameter> p : model.encoder().getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue();
            }
        }
        throw new AssertionError("no parameter ending in " + suffix + " among "
                + model.encoder().getParameters().keys());
    }

    /** @return the encoder's parameter keys without DJL's ordinal prefixes ({@code 02preprocessor_action} is {@code preprocessor_action}) */
    static List<String> parameterNames(HstuModel model) {
        return model.encoder().getParameters().keys().stream()
                .map(k -> k.replaceAll("(^|_)\\d\\d", "$1"))
                .toList();
    }

    /** @return the array's values as float32 */
    static float[] floats(NDArray array) {
        return array.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** @return the largest absolute difference between two equally long arrays */
    static float maxDifference(float[] a, float[] b) {
        float max = 0f;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
