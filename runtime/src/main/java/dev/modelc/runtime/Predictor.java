package dev.modelc.runtime;

/**
 * Computes a model's declared outputs from new rows: the forward pass for the outputs only, with
 * nothing kept for training. A generated class's {@code predictor()} returns one that holds a
 * snapshot of the parameters and may be called from many threads at once.
 */
public interface Predictor {

    ModelSignature signature();

    /**
     * Computes every output of {@link ModelSignature#outputs()} for {@code rows} rows.
     *
     * @param inputs  one array per input of {@link ModelSignature#predictInputs()}, in that order,
     *                row-major: {@code double[]} for f64 models, {@code float[]} for f32,
     *                {@code int[]} for integer inputs; read, never changed or kept
     * @param rows    the number of rows
     * @param outputs one array per output of {@link ModelSignature#outputs()}, in that order,
     *                row-major, of the model's element type ({@code int[]} for integer outputs),
     *                with room for {@code rows} rows; written, never kept
     */
    void predict(Object[] inputs, int rows, Object[] outputs);
}
