package dev.hstu.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.Map;

/**
 * Mixed-precision training as in Micikevicius et al. (2018): the forward and backward passes run in float16 on
 * float16 copies of the parameters, while the optimiser keeps float32 master weights and applies float32 gradients
 * to them. The loss is scaled so that small float16 gradients do not vanish ({@link LossScaler}).
 *
 * <p>DJL's dtype cast is not differentiable (its PyTorch JNI casts under a no-grad guard), so the float16 graph
 * cannot start from the float32 parameters. Instead, this store hands out, for each parameter, a float16 copy that
 * is a leaf of the graph and collects its own gradient; {@link #float32Gradient} gives the optimiser that gradient
 * in float32. Copies live in the caller's {@code NDScope} and are made again after {@link #clear()} (after every
 * update) or once their scope has closed.
 */
public final class Float16ParameterStore extends ParameterStore {

    private final Map<String, NDArray> copies = new HashMap<>();
    private final Map<String, NDArray> gradients = new HashMap<>();

    /** @param manager the manager of the master parameters */
    public Float16ParameterStore(NDManager manager) {
        super(manager, false);
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray copy = copies.get(parameter.getId());
        if (copy == null || copy.isReleased()) {
            NDArray master = super.getValue(parameter, device, training);
            copy = master.getDataType() == DataType.FLOAT16 ? master : master.toType(DataType.FLOAT16, false);
            copy.setRequiresGradient(true);
            copies.put(parameter.getId(), copy);
        }
        return copy;
    }

    /**
     * @param parameter a parameter read in this step
     * @return the gradient of its float16 copy as float32 (still multiplied by the loss scale), or null if it was
     *     not read or received no gradient
     */
    public NDArray float32Gradient(Parameter parameter) {
        NDArray cached = gradients.get(parameter.getId());
        if (cached != null && !cached.isReleased()) {
            return cached;
        }
        NDArray copy = copies.get(parameter.getId());
        if (copy == null || copy.isReleased() || !copy.hasGradient()) {
            return null;
        }
        NDArray gradient = copy.getGradient().toType(DataType.FLOAT32, false);
        gradients.put(parameter.getId(), gradient);
        return gradient;
    }

    /** Forgets the copies and their gradients: the next read copies the (updated) master parameters again. */
    public void clear() {
        copies.clear();
        gradients.clear();
    }
}
