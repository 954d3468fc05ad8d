package dev.modelc.runtime;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a generated model declares: its name and source, the element type of its arithmetic
 * ("f32" or "f64"), its parameters and inputs, its loss and metrics, the outputs {@code predict}
 * computes, its stop condition, and the settings of its train block.
 */
public record ModelSignature(String name, String source, String dtype, List<Param> params, List<Input> inputs,
                             String loss, List<String> metrics, List<Output> outputs, String stopCondition,
                             TrainDefaults train) {

    /** Marks the batch dimension in a shape. */
    public static final int BATCH = -1;

    public ModelSignature {
        params = List.copyOf(params);
        inputs = List.copyOf(inputs);
        metrics = List.copyOf(metrics);
        outputs = List.copyOf(outputs);
        for (Output output : outputs) {
            for (String input : output.inputs()) {
                if (inputs.stream().noneMatch(i -> i.name().equals(input))) {
                    throw new IllegalArgumentException("output " + output.name() + " reads " + input
                            + ", which is not an input");
                }
            }
        }
    }

    /** A signature without outputs: a model that trains, and cannot predict. */
    public ModelSignature(String name, String source, String dtype, List<Param> params, List<Input> inputs,
                          String loss, List<String> metrics, String stopCondition, TrainDefaults train) {
        this(name, source, dtype, params, inputs, loss, metrics, List.of(), stopCondition, train);
    }

    /**
     * The inputs {@code predict} takes, in declaration order: those that at least one output
     * reads (usually the features, not the labels).
     */
    public List<Input> predictInputs() {
        return inputs.stream().filter(i -> outputs.stream().anyMatch(o -> o.inputs().contains(i.name()))).toList();
    }

    /** The position of param {@code name} in {@link #params()}; -1 when there is none. */
    public int paramIndex(String name) {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
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

    /**
     * An input: its shape with {@link #BATCH} first, whether it holds integer class labels,
     * and for labels the number of classes (0 when the model does not say).
     */
    public record Input(String name, List<Integer> shape, boolean integer, int classes) {
        public Input {
            shape = List.copyOf(shape);
        }

        /** Elements per batch row. */
        public int rowSize() {
            int size = 1;
            for (int d : shape) {
                size *= d == BATCH ? 1 : d;
            }
            return size;
        }
    }

    /**
     * An output, declared {@code output name = expr}: its shape ({@link #BATCH} first when it has
     * one value per row), whether its elements are integers (such as an {@code argmax}), and the
     * names of the inputs it reads, in declaration order.
     */
    public record Output(String name, List<Integer> shape, boolean integer, List<String> inputs) {
        public Output {
            shape = List.copyOf(shape);
            inputs = List.copyOf(inputs);
        }

        /** Whether it has one value per row: its shape starts with {@link #BATCH}. */
        public boolean perRow() {
            return !shape.isEmpty() && shape.get(0) == BATCH;
        }

        /** Elements per row when {@link #perRow()}, else elements in all. */
        public int rowSize() {
            int size = 1;
            for (int d : shape) {
                size *= d == BATCH ? 1 : d;
            }
            return size;
        }
    }

    /**
     * The train block's settings, which command-line flags may override.
     *
     * @param hyperparameters every hyperparameter of the optimizer by its PyTorch name, defaults
     *                        included, sorted by name; flags such as {@code nesterov} are 1 or 0
     * @param clipNorm the most the global norm of all gradients may be, or 0 for no clipping
     * @param maxSteps the most updates, or -1 when the train block does not say
     * @param batchSize rows per step; 0 for the whole training set
     * @param data where the data comes from, or null when the model has none
     * @param heldOutStop a {@code stop when} that watches the held-out rows, or null
     */
    public record TrainDefaults(String optimizer, Map<String, Double> hyperparameters, Schedule schedule,
                                double clipNorm, long maxSteps, long seed, int batchSize, boolean shuffle, long epochs,
                                Data data, HeldOutStop heldOutStop) {
        public TrainDefaults {
            if (!hyperparameters.containsKey("lr")) {
                throw new IllegalArgumentException("every optimizer has a learning rate `lr`; got " + hyperparameters);
            }
            hyperparameters = Collections.unmodifiableMap(new TreeMap<>(hyperparameters));
        }

        /** Settings whose stop condition, if any, watches the training steps. */
        public TrainDefaults(String optimizer, Map<String, Double> hyperparameters, Schedule schedule,
                             double clipNorm, long maxSteps, long seed, int batchSize, boolean shuffle, long epochs,
                             Data data) {
            this(optimizer, hyperparameters, schedule, clipNorm, maxSteps, seed, batchSize, shuffle, epochs, data,
                    null);
        }

        public double learningRate() {
            return hyperparameters.get("lr");
        }

        /** The momentum factor; 0 for optimizers without one. */
        public double momentum() {
            return hyperparameters.getOrDefault("momentum", 0.0);
        }
    }

    /**
     * {@code stop when test_loss < 0.05} or {@code stop when test_accuracy >= 0.98}: a comparison
     * of the loss or a metric over the held-out rows, measured once an epoch, with a number.
     *
     * @param metric the metric watched, or null for the loss
     * @param comparison one of {@code <}, {@code <=}, {@code >}, {@code >=}
     */
    public record HeldOutStop(String metric, String comparison, double threshold) {
        public HeldOutStop {
            if (!List.of("<", "<=", ">", ">=").contains(comparison)) {
                throw new IllegalArgumentException("a held-out stop compares with <, <=, > or >=, not " + comparison);
            }
        }

        /** The value watched, as the condition names it: {@code test_loss}, {@code test_accuracy}. */
        public String name() {
            return "test_" + (metric == null ? "loss" : metric);
        }

        /** Whether a larger value is better: the condition asks for it to rise above its threshold. */
        public boolean higherIsBetter() {
            return comparison.startsWith(">");
        }

        public boolean holds(double value) {
            return switch (comparison) {
                case "<" -> value < threshold;
                case "<=" -> value <= threshold;
                case ">" -> value > threshold;
                default -> value >= threshold;
            };
        }
    }

    /**
     * A learning-rate schedule: its name, its numeric parameters sorted by name, and the
     * milestones of {@code multistep}. {@link LearningRateSchedule} computes the rates.
     */
    public record Schedule(String name, Map<String, Double> parameters, List<Long> milestones) {
        /** The same rate for every update. */
        public static final Schedule CONSTANT = new Schedule("constant", Map.of(), List.of());

        public Schedule {
            parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
            milestones = List.copyOf(milestones);
        }
    }

    /**
     * A data source: a CSV file or, with {@code idx}, IDX files. For CSV: its path (relative to
     * the model file's folder unless absolute), the label column (-1 for the last), lines to skip
     * at the top, the fraction of rows held out for testing, whether features are standardized,
     * whether the first line after the skipped ones is a header naming the columns, and the
     * columns that feed each input (none: the label column feeds the second input and the others
     * the first). For IDX files, {@code path} is the training images', and the rows read are laid
     * out as a CSV file with the label last would be: an image's values, then its label.
     *
     * @param idx the IDX files, or null for a CSV file
     */
    public record Data(String path, int labelColumn, int skipLines, double testFraction, boolean standardize,
                       boolean header, List<Feed> feeds, Idx idx) {
        public Data {
            feeds = List.copyOf(feeds);
        }

        /** A CSV file whose inputs may name their columns. */
        public Data(String path, int labelColumn, int skipLines, double testFraction, boolean standardize,
                    boolean header, List<Feed> feeds) {
            this(path, labelColumn, skipLines, testFraction, standardize, header, feeds, null);
        }

        /** The label column (or none) and the first input the other columns, as before inputs could be mapped. */
        public Data(String path, int labelColumn, int skipLines, double testFraction, boolean standardize) {
            this(path, labelColumn, skipLines, testFraction, standardize, false, List.of());
        }

        /**
         * IDX files: images for the first input, labels for the second, and the test files' items
         * held out, or else {@code testFraction} of the training items.
         */
        public static Data idx(Idx files, double testFraction, boolean standardize) {
            return new Data(files.images(), -1, 0, testFraction, standardize, false, List.of(), files);
        }

        /** Whether each input names its own columns, as {@code x = columns(0, 63)} does. */
        public boolean mapped() {
            return !feeds.isEmpty();
        }

        /**
         * The same layout, read from another file. Another file for IDX training is CSV text laid
         * out as the IDX rows are: an image's values, then its label.
         */
        public Data withPath(String other) {
            return idx != null ? new Data(other, -1, 0, testFraction, standardize)
                    : new Data(other, labelColumn, skipLines, testFraction, standardize, header, feeds);
        }
    }

    /**
     * IDX files, MNIST's format: training images and labels, and the test images and labels held
     * out (both null when the test rows are a fraction of the training ones). Paths are relative to
     * the model file's folder unless absolute.
     */
    public record Idx(String images, String labels, String testImages, String testLabels) {
        public Idx {
            if ((testImages == null) != (testLabels == null)) {
                throw new IllegalArgumentException("test images and test labels come together");
            }
        }

        public Idx(String images, String labels) {
            this(images, labels, null, null);
        }

        /** Whether the test rows come from their own files. */
        public boolean testFiles() {
            return testImages != null;
        }
    }

    /**
     * The columns that feed one input, {@code x = columns("p0", "p63")}: ranges in order, each
     * element of the input taking the next column; whether {@code standardize = true} applies to
     * it (a real-valued input that an output reads).
     */
    public record Feed(String input, List<Range> ranges, boolean standardize) {
        public Feed {
            ranges = List.copyOf(ranges);
        }
    }

    /** Columns {@code first} to {@code last}, both included; one column when they are the same. */
    public record Range(Column first, Column last) {
        public static Range of(Column column) {
            return new Range(column, column);
        }
    }

    /**
     * A column by its number from 0, by the name its header gives it (then {@code index} is
     * -1), or the last column ({@code index} -1, no name).
     */
    public record Column(int index, String name) {
        public static final Column LAST = new Column(-1, null);

        public static Column at(int index) {
            return new Column(index, null);
        }

        public static Column named(String name) {
            return new Column(-1, name);
        }

        public boolean isLast() {
            return index == -1 && name == null;
        }

        @Override
        public String toString() {
            return name != null ? '"' + name + '"' : index == -1 ? "last" : Integer.toString(index);
        }
    }

    public boolean hasStopCondition() {
        return stopCondition != null;
    }

    /** Whether every parameter is a scalar, as in the seed's worked example. */
    public boolean allParamsScalar() {
        return params.stream().allMatch(p -> p.shape().isEmpty());
    }
}
