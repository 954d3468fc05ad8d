package dev.modelc.spark.cli;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;

/** The generated class the command line compiled, made and described through its fixed members. */
final class Models {
    private Models() {
    }

    static ModelSignature signature(Class<?> type) {
        try {
            return (ModelSignature) type.getField("SIGNATURE").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " has no SIGNATURE", e);
        }
    }

    /** The driver's model: its parameters from {@code seed}, room for one row (the executors pass the batches). */
    static TrainableModel create(Class<?> type, long seed) {
        try {
            return (TrainableModel) type.getConstructor(long.class, int.class).newInstance(seed, 1);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getName(), e);
        }
    }
}
