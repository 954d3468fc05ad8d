package dev.modelc.spark;

import dev.modelc.runtime.data.CsvReader;
import dev.modelc.runtime.data.DataException;
import dev.modelc.runtime.data.Table;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileSplit;
import org.apache.hadoop.mapred.InputSplit;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * What executors run to turn a partition of the data into {@link RowBlock}s, once, before
 * training: CSV text is read by the runtime's own CSV reader (the same cells, limits and
 * messages as on one machine), rows of a DataFrame are taken as numbers.
 */
final class BlockReading {
    private BlockReading() {
    }

    /**
     * The lines of one split of a CSV file as one block. Only the split at the start of a file
     * skips the file's first {@code skipLines} lines.
     */
    static Iterator<RowBlock> csvSplit(InputSplit split, Iterator<Tuple2<LongWritable, Text>> lines,
                                       InputLayout layout, int skipLines) {
        FileSplit file = (FileSplit) split;
        String name = file.getPath().toString();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        long count = 0;
        boolean blank = true;
        while (lines.hasNext()) {
            Text line = lines.next()._2();
            text.write(line.getBytes(), 0, line.getLength());
            text.write('\n');
            blank &= isBlank(line);
            count++;
        }
        if (count == 0) {
            return List.<RowBlock>of().iterator();
        }
        RowBlock.Builder rows = new RowBlock.Builder(layout, name, file.getStart());
        int skip = file.getStart() == 0 ? skipLines : 0;
        if (blank && skip == 0) {
            return List.of(rows.build(count)).iterator();
        }
        try {
            Table table = new CsvReader().read(name, new ByteArrayInputStream(text.toByteArray()), skip);
            return List.of(fromTable(table, rows, count)).iterator();
        } catch (DataException e) {
            return List.of(RowBlock.failed(name, file.getStart(), count, e.problem(), e.line())).iterator();
        }
    }

    private static RowBlock fromTable(Table table, RowBlock.Builder rows, long lines) {
        if (table.columns() != rows.layoutColumns()) {
            return RowBlock.failed(rows.file(), rows.start(), lines, "the row has " + InputLayout.count(
                    table.columns(), "cell") + ", but the model's inputs take " + rows.layoutColumns(),
                    table.line(0));
        }
        double[] row = new double[table.columns()];
        for (int r = 0; r < table.rows(); r++) {
            for (int c = 0; c < row.length; c++) {
                row[c] = table.get(r, c);
            }
            String problem = rows.add(row);
            if (problem != null) {
                return RowBlock.failed(rows.file(), rows.start(), lines, problem, table.line(r));
            }
        }
        return rows.build(lines);
    }

    /**
     * The rows of one partition of a DataFrame whose first {@link InputLayout#columns} columns
     * are doubles (named {@code names}), followed, for rows read from files, by the file and the
     * start of its piece: one block per piece, or one for the partition.
     */
    static Iterator<RowBlock> dataFrameRows(int partition, Iterator<InternalRow> rows, InputLayout layout,
                                            boolean fromFiles, String[] names) {
        List<RowBlock> blocks = new ArrayList<>();
        RowBlock.Builder block = null;
        UTF8String blockFile = null;
        double[] values = new double[layout.columns];
        boolean failed = false;
        while (rows.hasNext()) {
            InternalRow row = rows.next();
            long start = fromFiles ? row.getLong(layout.columns + 1) : partition;
            UTF8String file = fromFiles ? row.getUTF8String(layout.columns) : null;
            if (block == null || start != block.start() || (fromFiles && !file.equals(blockFile))) {
                if (block != null && !failed) {
                    blocks.add(block.build(block.rows()));
                }
                blockFile = fromFiles ? file.clone() : null;
                block = new RowBlock.Builder(layout, fromFiles ? blockFile.toString() : "", start);
                failed = false;
            }
            if (failed) {
                continue;
            }
            String problem = read(row, values, names);
            problem = problem != null ? problem : block.add(values);
            if (problem != null) {
                blocks.add(RowBlock.failed(block.file(), start, block.rows() + 1, problem, block.rows() + 1));
                failed = true;
            }
        }
        if (block != null && !failed) {
            blocks.add(block.build(block.rows()));
        }
        return blocks.iterator();
    }

    private static String read(InternalRow row, double[] values, String[] names) {
        for (int c = 0; c < values.length; c++) {
            if (row.isNullAt(c)) {
                return Table.cellName(c) + " (column `" + names[c] + "`) is empty (null)";
            }
            values[c] = row.getDouble(c);
        }
        return null;
    }

    private static boolean isBlank(Text line) {
        byte[] bytes = line.getBytes();
        for (int i = 0; i < line.getLength(); i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
                return false;
            }
        }
        return true;
    }
}
