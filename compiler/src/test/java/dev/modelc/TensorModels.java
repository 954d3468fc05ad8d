package dev.modelc;

import dev.modelc.codegen.Dtype;
import dev.modelc.diagnostics.CompilationFailed;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.graph.Evaluator;
import dev.modelc.graph.ModelIr;
import dev.modelc.graph.Node;
import dev.modelc.graph.Tensor;
import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.Rng;
import dev.modelc.runtime.TrainableModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compiles tensor models for tests and evaluates them with the reference interpreter. */
final class TensorModels {
    private TensorModels() {
    }

    static ModelCompiler.Result compile(String text) {
        try {
            return ModelCompiler.compile(new SourceFile("test.model", text), new ModelCompiler.Options("", Dtype.F64));
        } catch (CompilationFailed e) {
            throw new AssertionError(e.diagnostics().render());
        }
    }

    /** Random inputs for every declared input, {@code rows} rows; integer inputs get labels below their class count. */
    static Object[] randomInputs(ModelSignature signature, int rows, Rng rng) {
        return randomInputs(signature, rows, rng, Dtype.F64);
    }

    /** The same, with float arrays for an f32 model. */
    static Object[] randomInputs(ModelSignature signature, int rows, Rng rng, Dtype dtype) {
        List<Object> inputs = new ArrayList<>();
        for (ModelSignature.Input input : signature.inputs()) {
            int size = input.rowSize() * (input.shape().contains(ModelSignature.BATCH) ? rows : 1);
            if (input.integer()) {
                int[] labels = new int[size];
                int classes = input.classes() > 0 ? input.classes() : 3;
                for (int i = 0; i < size; i++) {
                    labels[i] = (int) (rng.nextDouble() * classes);
                }
                inputs.add(labels);
            } else {
                double[] values = new double[size];
                for (int i = 0; i < size; i++) {
                    values[i] = rng.uniform(-1, 1);
                }
                if (dtype == Dtype.F32) {
                    float[] floats = new float[size];
                    for (int i = 0; i < size; i++) {
                        floats[i] = (float) values[i];
                    }
                    inputs.add(floats);
                } else {
                    inputs.add(values);
                }
            }
        }
        return inputs.toArray();
    }

    /** The loss by the reference interpreter, at the model's current parameters. */
    static double referenceLoss(ModelIr ir, TrainableModel model, Object[] inputs, int rows) {
        Map<Node, Tensor> values = Evaluator.evaluate(List.of(ir.loss().node()), bindings(ir, model, inputs, rows));
        return values.get(ir.loss().node()).data()[0];
    }

    static Evaluator.Bindings bindings(ModelIr ir, TrainableModel model, Object[] inputs, int rows) {
        return new Evaluator.Bindings() {
            @Override
            public Tensor param(String name) {
                ModelSignature signature = model.signature();
                for (int p = 0; p < signature.params().size(); p++) {
                    ModelSignature.Param param = signature.params().get(p);
                    if (param.name().equals(name)) {
                        double[] data = new double[param.size()];
                        for (int i = 0; i < data.length; i++) {
                            data[i] = model.param(p, i);
                        }
                        return new Tensor(param.shape().stream().mapToInt(Integer::intValue).toArray(), data);
                    }
                }
                throw new IllegalArgumentException(name);
            }

            @Override
            public Tensor input(String name) {
                for (int i = 0; i < ir.inputs().size(); i++) {
                    if (ir.inputs().get(i).name().equals(name)) {
                        Object array = inputs[i];
                        double[] data = array instanceof int[] ints
                                ? java.util.Arrays.stream(ints).asDoubleStream().toArray() : (double[]) array;
                        return new Tensor(Tensor.dims(ir.inputs().get(i).shape(), rows), data);
                    }
                }
                throw new IllegalArgumentException(name);
            }

            @Override
            public int rows() {
                return rows;
            }
        };
    }
}
