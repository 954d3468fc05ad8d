package dev.modelc.runtime;

import java.util.List;

/**
 * What a generated model declares: its name and source, the element type of its arithmetic,
 * its parameters, its loss and metrics, its stop condition, and the defaults of its train block.
 */
public record ModelSignature(String name, String source, String dtype, List<Param> params, String loss,
                             List<String> metrics, String stopCondition, TrainDefaults train) {

    public ModelSignature {
        params = List.copyOf(params);
        metrics = List.copyOf(metrics);
    }

    /** A parameter's name and shape; an empty shape is a scalar. */
    public record Param(String name, List<Integer> shape) {
        public Param {
            shape = List.copyOf(shape);
        }

        public int size() {
            int size = 1;
            for (int d : shape) {
                size *= d;
            }
            return size;
        }
    }

    /** The train block's settings, which command-line flags may override. */
    public record TrainDefaults(String optimizer, double learningRate, long maxSteps, long seed) {
    }

    public boolean hasStopCondition() {
        return stopCondition != null;
    }

    /** Whether every parameter is a scalar, as in the seed's worked example. */
    public boolean allParamsScalar() {
        return params.stream().allMatch(p -> p.shape().isEmpty());
    }
}
