package dev.hstu.model.ops;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;

/**
 * The parameters of a linear map {@code y = x W^T + b} as every block here declares them: a Xavier-uniform weight
 * {@code [out, in]} and a zero bias {@code [out]}. A block registers them with its own {@code addParameter}.
 */
public final class LinearParameters {

    private LinearParameters() {}

    /** A {@code [out, in]} weight, Xavier uniform (average fan, magnitude 3). */
    public static Parameter weight(String name, int out, int in) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in))
                .optInitializer(new XavierInitializer(
                        XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3))
                .build();
    }

    /** A {@code [out]} bias, zero at the start. */
    public static Parameter bias(String name, int out) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(out))
                .build();
    }
}
