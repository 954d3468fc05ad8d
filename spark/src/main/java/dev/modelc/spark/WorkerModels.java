package dev.modelc.spark;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The models an executor computes with, kept between steps: a task borrows one, sets the step's
 * parameters (unless it already holds them) and gives it back, so that a step allocates no model
 * and no batch arrays. Models of the last few classes are kept; older ones are dropped.
 */
final class WorkerModels {
    private static final int CLASSES_KEPT = 4;

    /** A model, the arrays its batches are gathered into, and the parameters it holds. */
    static final class Slot {
        final TrainableModel model;
        final Object[] inputs;
        /** Which parameters the model holds: the id of the broadcast they came in, or -1. */
        long paramsId = -1;

        private Slot(TrainableModel model) {
            this.model = model;
            ModelSignature s = model.signature();
            this.inputs = new Object[s.inputs().size()];
            for (int i = 0; i < inputs.length; i++) {
                ModelSignature.Input input = s.inputs().get(i);
                int length = Math.multiplyExact(model.batchCapacity(), input.rowSize());
                inputs[i] = input.integer() ? new int[length] : s.dtype().equals("f32") ? new float[length]
                        : new double[length];
            }
        }

        /** Sets the parameters from one flat array, params in signature order, unless they are there already. */
        void load(long id, double[] params) {
            if (paramsId == id) {
                return;
            }
            setParams(model, params);
            paramsId = id;
        }
    }

    private record Key(Class<?> type, int capacity) {
    }

    private static final Map<Key, Deque<Slot>> POOLS = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Deque<Slot>> eldest) {
            return size() > CLASSES_KEPT;
        }
    };

    private WorkerModels() {
    }

    /** A model of the named class with room for {@code capacity} rows, loaded by the task's class loader. */
    static Slot borrow(String className, int capacity) {
        Class<?> type = load(className);
        Key key = new Key(type, capacity);
        synchronized (POOLS) {
            Slot slot = POOLS.computeIfAbsent(key, k -> new ArrayDeque<>()).pollFirst();
            if (slot != null) {
                return slot;
            }
        }
        return new Slot(ModelClasses.create(type, 0, capacity));
    }

    static void giveBack(Slot slot, int capacity) {
        Key key = new Key(slot.model.getClass(), capacity);
        synchronized (POOLS) {
            POOLS.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(slot);
        }
    }

    /** Sets every parameter from one flat array, params in signature order, each row-major. */
    static void setParams(TrainableModel model, double[] params) {
        int at = 0;
        java.util.List<ModelSignature.Param> declared = model.signature().params();
        for (int p = 0; p < declared.size(); p++) {
            for (int i = 0, size = declared.get(p).size(); i < size; i++) {
                model.setParam(p, i, params[at++]);
            }
        }
    }

    /** The named class, from the task's class loader: the one that holds the jars shipped with the session. */
    static Class<?> load(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(className, true, loader != null ? loader : WorkerModels.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new MissingClass("the executor cannot find model class " + className + "; ship the jar "
                    + "that holds it with the session (spark.jars, or the application's own jar)", e);
        }
    }

    /** A model class that an executor cannot load. */
    static final class MissingClass extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        MissingClass(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
