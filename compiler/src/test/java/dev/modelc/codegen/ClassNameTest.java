package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelc.ModelCompiler;
import dev.modelc.diagnostics.SourceFile;
import dev.modelc.runtime.TrainableModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A model's name becomes its class's name, unless Java forbids it as a type name: keywords,
 * literals, restricted names such as {@code record}, and names the generated code uses itself
 * get a {@code Model} suffix. Either way the class compiles and runs.
 */
class ClassNameTest {

    @ParameterizedTest
    @CsvSource({
        "Quadratic, Quadratic", "quadratic, quadratic", "List, ListModel", "Kernels, KernelsModel",
        "class, classModel", "int, intModel", "true, trueModel", "null, nullModel", "_, _Model",
        "var, varModel", "yield, yieldModel", "record, recordModel", "sealed, sealedModel", "permits, permitsModel"})
    void modelNameBecomesAUsableClassName(String modelName, String className) throws Exception {
        SourceFile source = new SourceFile("m.model", "model " + modelName + "\nparam x = 0.5\nloss L = x^2\n");
        for (Dtype dtype : Dtype.values()) {
            ModelCompiler.Result result = ModelCompiler.compile(source, new ModelCompiler.Options("", dtype));
            assertEquals(className, result.className());
            TrainableModel model = result.instantiate(0);
            assertEquals(0.25, model.forward());
            assertEquals(modelName, model.signature().name());
        }
    }
}
