package dev.modelc.bench;

import dev.modelc.runtime.ModelSignature;
import dev.modelc.runtime.TrainableModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes what the PyTorch side needs to run the same workloads: each workload's data, row
 * orders and initial parameters as raw little-endian arrays ({@code .f32}, {@code .f64},
 * {@code .i32}) under {@code DIR/W<n>/}, and {@code DIR/meta.json} naming them with their shapes
 * and the optimizer the modelc side uses.
 *
 * <p>Usage: {@code Export DIR [W1 W2 ...]} (default: every workload).
 */
public final class Export {
    private Export() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: Export DIR [W1 ... W6]");
            System.exit(2);
        }
        List<Workload> workloads = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            workloads.add(Workload.valueOf(args[i]));
        }
        write(Path.of(args[0]), workloads.isEmpty() ? List.of(Workload.values()) : workloads);
    }

    /**
     * Writes the given workloads' files and a meta.json describing them; returns each
     * workload's run, still at its initial parameters, in the same order.
     */
    public static List<TrainingRun> write(Path dir, List<Workload> workloads) throws IOException {
        StringBuilder meta = new StringBuilder("{\n");
        List<TrainingRun> runs = new ArrayList<>();
        for (int w = 0; w < workloads.size(); w++) {
            Workload workload = workloads.get(w);
            TrainingRun run = TrainingRun.start(workload, workload.compile());
            meta.append(String.format(Locale.ROOT, "  \"%s\": {\"dtype\": \"%s\", \"optimizer\": \"%s\",\n",
                    workload, workload.dtype().label(), run.model().signature().train().optimizer()));
            meta.append(writeWorkload(dir.resolve(workload.name()), run));
            meta.append(w + 1 < workloads.size() ? "},\n" : "}\n");
            runs.add(run);
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("meta.json"), meta.append("}\n").toString(), StandardCharsets.UTF_8);
        return runs;
    }

    /** The workload's arrays; returns its {@code "arrays": {...}} entry for meta.json. */
    private static String writeWorkload(Path dir, TrainingRun run) throws IOException {
        Files.createDirectories(dir);
        List<String> entries = new ArrayList<>();
        TrainableModel model = run.model();
        boolean f64 = model.signature().dtype().equals("f64");
        List<ModelSignature.Param> params = model.signature().params();
        for (int p = 0; p < params.size(); p++) {
            ModelSignature.Param param = params.get(p);
            int size = param.shape().stream().reduce(1, Math::multiplyExact);
            double[] values = new double[size];
            for (int i = 0; i < size; i++) {
                values[i] = model.param(p, i);
            }
            String file = "param_" + param.name() + (f64 ? ".f64" : ".f32");
            write(dir.resolve(file), values, f64);
            entries.add(entry(param.name(), file, param.shape().toString()));
        }
        WorkloadData data = run.data();
        if (data != null) {
            write(dir.resolve("x.f32"), data.x());
            entries.add(entry("x", "x.f32", "[" + data.rows() + ", " + data.width() + "]"));
            if (data.labels() != null) {
                write(dir.resolve("labels.i32"), data.labels());
                entries.add(entry("labels", "labels.i32", "[" + data.rows() + "]"));
            } else {
                write(dir.resolve("y.f32"), data.y());
                entries.add(entry("y", "y.f32", "[" + data.rows() + ", " + data.yWidth() + "]"));
            }
            if (data.epochOrders().length > 0) {
                int[] orders = new int[data.epochOrders().length * data.rows()];
                for (int e = 0; e < data.epochOrders().length; e++) {
                    System.arraycopy(data.epochOrders()[e], 0, orders, e * data.rows(), data.rows());
                }
                write(dir.resolve("orders.i32"), orders);
                entries.add(entry("orders", "orders.i32", "[" + data.epochOrders().length + ", " + data.rows() + "]"));
            }
        }
        return "    \"arrays\": {\n" + String.join(",\n", entries) + "}\n  ";
    }

    private static String entry(String name, String file, String shape) {
        return String.format(Locale.ROOT, "      \"%s\": {\"file\": \"%s\", \"shape\": %s}", name, file, shape);
    }

    private static void write(Path file, double[] values, boolean f64) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * (f64 ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (f64) {
                bytes.putDouble(v);
            } else {
                bytes.putFloat((float) v);
            }
        }
        Files.write(file, bytes.array());
    }

    private static void write(Path file, float[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Files.write(file, bytes.array());
    }

    private static void write(Path file, int[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values);
        Files.write(file, bytes.array());
    }
}
