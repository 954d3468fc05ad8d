package dev.modelc.plan;

import dev.modelc.graph.TrainSpec;

/**
 * The bytes a generated class holds, as linear functions of its batch capacity: parameters,
 * their gradients, the optimizer's state, the forward tensors kept for the backward pass, and
 * the arrays for every tensor value, one each ({@code naive}) or shared as planned.
 */
public record Memory(Costs.Linear params, Costs.Linear gradients, Costs.Linear optimizerState,
                     Costs.Linear stored, Costs.Linear naive, Costs.Linear planned) {

    /** The figures of {@code plan} for elements of {@code bytesPerElement} bytes. */
    public static Memory of(Plan plan, int bytesPerElement) {
        Costs.Linear params = Costs.paramBytes(plan.model(), bytesPerElement);
        Costs.Linear trainable = Costs.trainableParamBytes(plan.model(), bytesPerElement);
        return new Memory(params, params, trainable.times(statesPerParam(plan.model().train())),
                Costs.storedBytes(plan, bytesPerElement), Costs.bufferBytes(plan, bytesPerElement),
                Costs.plannedBytes(plan, bytesPerElement));
    }

    /** Optimizer state buffers per parameter. */
    static int statesPerParam(TrainSpec train) {
        return train.optimizerState().size();
    }

    /** Parameters, gradients and optimizer state: what does not grow with the batch. */
    public Costs.Linear fixed() {
        return params.plus(gradients).plus(optimizerState);
    }

    /** Everything, with one array per tensor value. */
    public Costs.Linear totalNaive() {
        return fixed().plus(naive);
    }

    /** Everything, with arrays shared as planned. */
    public Costs.Linear totalPlanned() {
        return fixed().plus(planned);
    }
}
