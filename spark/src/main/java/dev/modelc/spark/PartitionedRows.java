package dev.modelc.spark;

import dev.modelc.runtime.data.DataException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * A source's rows held by the executors as {@link RowBlock}s, read once and kept in memory
 * between steps, and numbered in a fixed order: by file, then by position in the file (for rows
 * not read from files, by partition). The numbering does not depend on how many partitions or
 * executors there are, so a seed chooses the same rows for every batch on any cluster, and on one
 * machine from the same CSV file.
 */
final class PartitionedRows implements AutoCloseable {
    /** The most rows: row numbers are Java {@code int}s, as on one machine. */
    static final int MAX_ROWS = Integer.MAX_VALUE - 8;

    /** What the driver learns about one block. */
    record BlockInfo(int partition, int index, String file, long start, int rows, long lines, String problem,
                     long problemLine) implements Serializable {
    }

    final JavaRDD<RowBlock> blocks;
    final InputLayout layout;
    /** The source as the user named it. */
    final String source;
    /** Per partition, per block in the partition: the number of the block's first row. */
    final long[][] firstRows;
    final int rows;

    private PartitionedRows(JavaRDD<RowBlock> blocks, InputLayout layout, String source, long[][] firstRows,
                            int rows) {
        this.blocks = blocks;
        this.layout = layout;
        this.source = source;
        this.firstRows = firstRows;
        this.rows = rows;
    }

    /**
     * Reads the blocks into the executors' memory and numbers their rows; the first bad value,
     * in file and line order, fails the whole read.
     *
     * @param lines whether problems are told by line of a text file, rather than by row
     */
    static PartitionedRows read(JavaRDD<RowBlock> blocks, InputLayout layout, String source, boolean lines)
            throws DataException {
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        List<BlockInfo> infos;
        try {
            infos = blocks.mapPartitionsWithIndex(PartitionedRows::describe, true).collect();
        } catch (RuntimeException e) {
            blocks.unpersist(false);
            throw e;
        }
        List<BlockInfo> ordered = new ArrayList<>(infos);
        ordered.sort(Comparator.comparing(BlockInfo::file).thenComparingLong(BlockInfo::start));
        DataException problem = firstProblem(ordered, lines);
        long total = ordered.stream().mapToLong(BlockInfo::rows).sum();
        if (problem == null && total == 0) {
            problem = new DataException(source, 0, "no rows");
        } else if (problem == null && total > MAX_ROWS) {
            problem = new DataException(source, 0, total + " rows; at most " + MAX_ROWS + " can be numbered");
        }
        if (problem != null) {
            blocks.unpersist(false);
            throw problem;
        }
        return new PartitionedRows(blocks, layout, source, number(ordered, blocks.getNumPartitions()), (int) total);
    }

    int partitions() {
        return firstRows.length;
    }

    /** Lets the executors forget the rows. */
    @Override
    public void close() {
        blocks.unpersist(false);
    }

    private static Iterator<BlockInfo> describe(int partition, Iterator<RowBlock> blocks) {
        List<BlockInfo> infos = new ArrayList<>();
        for (int index = 0; blocks.hasNext(); index++) {
            RowBlock b = blocks.next();
            infos.add(new BlockInfo(partition, index, b.file, b.start, b.rows, b.lines, b.problem, b.problemLine));
        }
        return infos.iterator();
    }

    private static long[][] number(List<BlockInfo> ordered, int partitions) {
        int[] counts = new int[partitions];
        ordered.forEach(b -> counts[b.partition()]++);
        long[][] firstRows = new long[partitions][];
        for (int p = 0; p < partitions; p++) {
            firstRows[p] = new long[counts[p]];
        }
        long next = 0;
        for (BlockInfo b : ordered) {
            firstRows[b.partition()][b.index()] = next;
            next += b.rows();
        }
        return firstRows;
    }

    /** The first problem in file and line order, with its line (or row) counted in its whole file. */
    private static DataException firstProblem(List<BlockInfo> ordered, boolean lines) {
        String file = null;
        long before = 0;
        for (BlockInfo b : ordered) {
            if (!b.file().equals(file)) {
                file = b.file();
                before = 0;
            }
            if (b.problem() != null) {
                long at = before + b.problemLine();
                String name = shown(b.file());
                if (lines && at <= Integer.MAX_VALUE) {
                    return new DataException(name, (int) at, b.problem());
                }
                return new DataException(name, 0, "row " + at + ": " + b.problem());
            }
            before += b.lines();
        }
        return null;
    }

    /** A file as messages show it: a local path without its {@code file:} scheme. */
    static String shown(String file) {
        if (file.isEmpty()) {
            return "the DataFrame";
        }
        return file.startsWith("file:") ? new org.apache.hadoop.fs.Path(file).toUri().getPath() : file;
    }
}
