package dev.modelc.runtime;

/**
 * One thread's scratch for blocked products: packed blocks of A and B and an edge tile. The
 * arrays grow to the largest block seen and are then reused, so a training step allocates
 * nothing once the first step has run.
 */
final class MatmulWorkspace {
    private static final ThreadLocal<MatmulWorkspace> OF_THREAD = ThreadLocal.withInitial(MatmulWorkspace::new);
    /** Room for an edge tile of any tile shape in use (6 rows of up to 2 x 16 floats). */
    private static final int TILE = 6 * 64;

    private float[] packedA32 = new float[0];
    private float[] packedB32 = new float[0];
    private final float[] tile32 = new float[TILE];
    private float[] transposed32 = new float[0];
    private float[] padded32 = new float[0];
    private double[] packedA64 = new double[0];
    private double[] packedB64 = new double[0];
    private final double[] tile64 = new double[TILE];

    /** The calling thread's workspace. */
    static MatmulWorkspace current() {
        return OF_THREAD.get();
    }

    float[] packedA32(int size) {
        if (packedA32.length < size) {
            packedA32 = new float[size];
        }
        return packedA32;
    }

    float[] packedB32(int size) {
        if (packedB32.length < size) {
            packedB32 = new float[size];
        }
        return packedB32;
    }

    float[] transposed32(int size) {
        if (transposed32.length < size) {
            transposed32 = new float[size];
        }
        return transposed32;
    }

    float[] padded32(int size) {
        if (padded32.length < size) {
            padded32 = new float[size];
        }
        return padded32;
    }

    float[] tile32() {
        return tile32;
    }

    double[] packedA64(int size) {
        if (packedA64.length < size) {
            packedA64 = new double[size];
        }
        return packedA64;
    }

    double[] packedB64(int size) {
        if (packedB64.length < size) {
            packedB64 = new double[size];
        }
        return packedB64;
    }

    double[] tile64() {
        return tile64;
    }
}
