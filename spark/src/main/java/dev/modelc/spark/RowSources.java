package dev.modelc.spark;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.data.DataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the rows a model trains on or scores, from a CSV or Parquet file (or a folder of them),
 * or from a DataFrame, into {@link PartitionedRows}.
 */
final class RowSources {
    private RowSources() {
    }

    /** How a source is read: the file or folder, and which columns feed which inputs. */
    record Spec(String path, int labelColumn, int skipLines, boolean standardize) {
    }

    /** Reads a file or folder: Parquet when its name ends in {@code .parquet} or the folder holds such files, else CSV. */
    static PartitionedRows read(SparkSession spark, ModelSignature signature, Spec spec) throws DataException {
        String location = location(spec.path());
        if (isParquet(spec.path())) {
            Dataset<Row> rows;
            try {
                rows = spark.read().parquet(location);
            } catch (RuntimeException e) {
                throw new DataException(spec.path(), 0, "cannot be read as Parquet: " + firstLine(e));
            }
            return dataFrame(rows, signature, spec.labelColumn(), spec.standardize(), spec.path());
        }
        return csv(JavaSparkContext.fromSparkContext(spark.sparkContext()), signature, spec, location);
    }

    /**
     * A file or folder as a DataFrame, as {@link #read} tells Parquet from CSV. Every CSV column
     * is read as numbers (a cell that is not one fails the job, told as Spark's malformed record);
     * a first line with a cell that is not a number is passed over, and names the columns when it
     * has as many cells as the rows.
     */
    static Dataset<Row> frame(SparkSession spark, String path) throws DataException {
        String location = location(path);
        boolean parquet = isParquet(path);
        try {
            if (parquet) {
                return spark.read().parquet(location);
            }
            List<String> first = spark.read().textFile(location).limit(2).collectAsList();
            boolean header = !first.isEmpty() && !allNumbers(first.get(0));
            if (first.size() < (header ? 2 : 1)) {
                throw new DataException(path, 0, "has no rows");
            }
            String[] names = first.get(0).split(",", -1);
            int width = first.get(header ? 1 : 0).split(",", -1).length;
            StructType schema = new StructType();
            for (int c = 0; c < width; c++) {
                String name = header && names.length == width ? names[c].trim() : "_c" + c;
                schema = schema.add(name, DataTypes.DoubleType, true);
            }
            return spark.read().schema(schema).option("header", header).option("mode", "FAILFAST").csv(location);
        } catch (RuntimeException e) {
            throw new DataException(path, 0, "cannot be read as " + (parquet ? "Parquet" : "CSV") + ": "
                    + firstLine(e));
        }
    }

    private static boolean allNumbers(String line) {
        for (String cell : line.split(",", -1)) {
            try {
                Double.parseDouble(cell.trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    /** The rows of a DataFrame, every column a number feeding the model's inputs in order. */
    static PartitionedRows dataFrame(Dataset<Row> rows, ModelSignature signature, int labelColumn,
                                     boolean standardize, String source) throws DataException {
        StructField[] fields = rows.schema().fields();
        for (int c = 0; c < fields.length; c++) {
            if (!(fields[c].dataType() instanceof NumericType)) {
                throw new DataException(source, 0, "column `" + fields[c].name() + "` holds "
                        + fields[c].dataType().simpleString() + " values; the model's inputs take numbers");
            }
        }
        InputLayout layout = InputLayout.of(signature, fields.length, labelColumn, standardize, source);
        List<Column> numbers = new ArrayList<>();
        for (StructField field : fields) {
            numbers.add(functions.col("`" + field.name() + "`").cast(DataTypes.DoubleType).as(field.name()));
        }
        Dataset<Row> selected = withFilePieces(rows, numbers);
        boolean fromFiles = selected != null;
        Dataset<Row> numeric = fromFiles ? selected : rows.select(numbers.toArray(new Column[0]));
        String[] names = new String[fields.length];
        for (int c = 0; c < names.length; c++) {
            names[c] = fields[c].name();
        }
        JavaRDD<RowBlock> blocks = Internal.rows(numeric).mapPartitionsWithIndex(
                (partition, it) -> BlockReading.dataFrameRows(partition, it, layout, fromFiles, names), true);
        return PartitionedRows.read(blocks, layout, source, false);
    }

    private static PartitionedRows csv(JavaSparkContext sc, ModelSignature signature, Spec spec, String location)
            throws DataException {
        InputLayout layout = InputLayout.of(signature, InputLayout.expectedColumns(signature), spec.labelColumn(),
                spec.standardize(), spec.path());
        @SuppressWarnings("unchecked")
        JavaHadoopRDD<LongWritable, Text> text = (JavaHadoopRDD<LongWritable, Text>) sc.hadoopFile(location,
                TextInputFormat.class, LongWritable.class, Text.class, sc.defaultMinPartitions());
        int skip = spec.skipLines();
        JavaRDD<RowBlock> blocks = text.mapPartitionsWithInputSplit(
                (split, lines) -> BlockReading.csvSplit(split, lines, layout, skip), false);
        return PartitionedRows.read(blocks, layout, spec.path(), true);
    }

    /**
     * The columns with each row's file and the start of its piece, when the rows come straight
     * from files; null otherwise.
     */
    private static Dataset<Row> withFilePieces(Dataset<Row> rows, List<Column> numbers) {
        List<Column> columns = new ArrayList<>(numbers);
        columns.add(functions.col("_metadata.file_path"));
        columns.add(functions.col("_metadata.file_block_start"));
        try {
            return rows.select(columns.toArray(new Column[0]));
        } catch (Exception e) {
            // Spark raises AnalysisException, which Java cannot name in a catch here.
            if (e instanceof org.apache.spark.sql.AnalysisException) {
                return null;
            }
            throw e;
        }
    }

    /** Whether a path names Parquet data: a .parquet file, or a folder with .parquet files. */
    static boolean isParquet(String path) {
        if (path.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            return true;
        }
        Path local = localPath(path);
        if (local == null || !Files.isDirectory(local)) {
            return false;
        }
        try (Stream<Path> files = Files.list(local)) {
            return files.anyMatch(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Where Spark finds a path: a local path made absolute (so executors started elsewhere on
     * this machine find it too), or a URL with a scheme as it is.
     */
    static String location(String path) throws DataException {
        Path local = localPath(path);
        if (local == null) {
            return path;
        }
        if (!Files.exists(local)) {
            throw new DataException(path, 0, "no such file");
        }
        return local.toAbsolutePath().normalize().toUri().toString();
    }

    private static Path localPath(String path) {
        if (path.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            return path.startsWith("file://") ? Path.of(java.net.URI.create(path)) : null;
        }
        return Path.of(path);
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
