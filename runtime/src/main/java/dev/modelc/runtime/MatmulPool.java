package dev.modelc.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Worker threads that share one large product with the calling thread, each writing its own
 * band of C's rows or columns. Handing over a product allocates nothing (fields, a volatile
 * generation count, park and unpark), so a training step stays free of garbage. Workers spin
 * briefly after a product before parking, since the next product of a step follows soon.
 */
final class MatmulPool {
    private static final long SPIN_NANOS = 50_000;

    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long generation;
    private volatile boolean stopped;
    private Thread caller;

    // The product being shared; written before generation is raised, read after it is seen.
    private float[] a32;
    private float[] b32;
    private float[] c32;
    private double[] a64;
    private double[] b64;
    private double[] c64;
    private boolean ta;
    private boolean tb;
    private boolean vector;
    private boolean byColumns;
    private int m;
    private int k;
    private int n;
    private int parts;
    private int unit;

    MatmulPool(int workerCount) {
        workers = new Thread[workerCount];
        for (int w = 0; w < workerCount; w++) {
            int part = w + 1;
            Thread thread = new Thread(() -> work(part), "modelc-matmul-" + part);
            thread.setDaemon(true);
            workers[w] = thread;
            thread.start();
        }
    }

    /** Threads a product can be shared by: the workers and the caller. */
    int size() {
        return workers.length + 1;
    }

    /** Ends the workers once they are idle. */
    void stop() {
        stopped = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }

    /**
     * Computes {@code c = op(a) @ op(b)} in {@code parts} bands of {@code unit}-aligned columns
     * (or rows); false, having done nothing, when another thread is using the pool.
     */
    boolean run(float[] a, boolean ta, float[] b, boolean tb, float[] c, int m, int k, int n,
                boolean vector, boolean byColumns, int parts, int unit) {
        if (!busy.compareAndSet(false, true)) {
            return false;
        }
        a32 = a;
        b32 = b;
        c32 = c;
        share(ta, tb, m, k, n, vector, byColumns, parts, unit);
        a32 = null;
        b32 = null;
        c32 = null;
        busy.set(false);
        return true;
    }

    /** {@link #run(float[], boolean, float[], boolean, float[], int, int, int, boolean, boolean, int, int)}
     * in double. */
    boolean run(double[] a, boolean ta, double[] b, boolean tb, double[] c, int m, int k, int n,
                boolean vector, boolean byColumns, int parts, int unit) {
        if (!busy.compareAndSet(false, true)) {
            return false;
        }
        a64 = a;
        b64 = b;
        c64 = c;
        share(ta, tb, m, k, n, vector, byColumns, parts, unit);
        a64 = null;
        b64 = null;
        c64 = null;
        busy.set(false);
        return true;
    }

    private void share(boolean ta, boolean tb, int m, int k, int n, boolean vector, boolean byColumns,
                       int parts, int unit) {
        this.ta = ta;
        this.tb = tb;
        this.m = m;
        this.k = k;
        this.n = n;
        this.vector = vector;
        this.byColumns = byColumns;
        this.parts = Math.min(parts, size());
        this.unit = unit;
        caller = Thread.currentThread();
        pending.set(this.parts - 1);
        generation++;
        for (int w = 0; w < this.parts - 1; w++) {
            LockSupport.unpark(workers[w]);
        }
        compute(0, MatmulWorkspace.current());
        long start = System.nanoTime();
        while (pending.get() != 0) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
    }

    private void work(int part) {
        MatmulWorkspace work = MatmulWorkspace.current();
        long seen = 0;
        while (true) {
            long start = System.nanoTime();
            while (generation == seen && !stopped) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (stopped) {
                return;
            }
            seen = generation;
            if (part < parts) {
                compute(part, work);
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    /** Band {@code part} of the product: whole units, as evenly spread as they go. */
    private void compute(int part, MatmulWorkspace work) {
        int extent = byColumns ? n : m;
        int units = (extent + unit - 1) / unit;
        int from = Math.min(extent, (int) ((long) units * part / parts) * unit);
        int to = Math.min(extent, (int) ((long) units * (part + 1) / parts) * unit);
        if (from >= to) {
            return;
        }
        int i0 = byColumns ? 0 : from;
        int i1 = byColumns ? m : to;
        int j0 = byColumns ? from : 0;
        int j1 = byColumns ? to : n;
        if (c32 != null) {
            BlockedMatmul.multiply(a32, ta, b32, tb, c32, m, k, n, i0, i1, j0, j1, vector, work);
        } else {
            BlockedMatmul.multiply(a64, ta, b64, tb, c64, m, k, n, i0, i1, j0, j1, vector, work);
        }
    }
}
