package dev.modelc.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Worker threads that share one large product with the calling thread: the team packs each
 * block of A and B together, meets at a barrier, then takes {@link #CLAIM} slivers of B's
 * columns at a time from a shared counter until the block is done (see {@link BlockedMatmul});
 * or, for a product whose operand packed whole fits in L2, the team takes everything from
 * counters with no barrier, and the caller waits only for the workers that came in before it
 * finished, a worker asleep or descheduled then staying out (see {@link SharedMatmul}).
 * Handing over a product allocates nothing (fields, a volatile generation count, park and
 * unpark, the packed blocks kept from one product to the next), so a training step stays free
 * of garbage. Workers spin briefly after a product before parking, since the next product of a
 * step follows soon.
 */
final class MatmulPool {
    /** Slivers of B's columns a member takes at a time: tens of microseconds of work. */
    static final int CLAIM = 4;
    private static final long SPIN_NANOS = 50_000;

    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger arrived = new AtomicInteger();
    private final AtomicInteger claims = new AtomicInteger();
    /** Slivers of a shared operand claimed for packing, and packed (see {@link SharedMatmul}). */
    private final AtomicInteger packClaims = new AtomicInteger();
    private final AtomicInteger packDone = new AtomicInteger();
    /**
     * Workers that came into the product in hand; closed (made negative) by the caller of a
     * product that needs no particular member (see {@link SharedMatmul}), so that a worker
     * still asleep or descheduled stays out instead of being waited for.
     */
    private final AtomicInteger entry = new AtomicInteger();
    /** Workers that came into an open product and finished their part. */
    private final AtomicInteger finished = new AtomicInteger();
    private static final int CLOSED = Integer.MIN_VALUE / 2;
    /** Whether the product in hand is open: members take pieces from counters, with no barrier. */
    private boolean open;
    private volatile int barrierPhase;
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
    private int m;
    private int k;
    private int n;
    private int parts;
    /** The packed blocks the team shares, grown to the largest product seen. */
    private final MatmulWorkspace packing = new MatmulWorkspace();

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
     * Computes {@code c = op(a) @ op(b)} with {@code parts} threads, the caller among them;
     * false, having done nothing, when another thread is using the pool.
     */
    boolean run(float[] a, boolean ta, float[] b, boolean tb, float[] c, int m, int k, int n,
                boolean vector, int parts) {
        if (!busy.compareAndSet(false, true)) {
            return false;
        }
        BlockedMatmul.reserve32(packing, m, k, n, tb, vector);
        open = BlockedMatmul.open32(m, k, n, vector);
        a32 = a;
        b32 = b;
        c32 = c;
        share(ta, tb, m, k, n, vector, parts);
        a32 = null;
        b32 = null;
        c32 = null;
        busy.set(false);
        return true;
    }

    /** {@link #run(float[], boolean, float[], boolean, float[], int, int, int, boolean, int)} in double. */
    boolean run(double[] a, boolean ta, double[] b, boolean tb, double[] c, int m, int k, int n,
                boolean vector, int parts) {
        if (!busy.compareAndSet(false, true)) {
            return false;
        }
        BlockedMatmul.reserve64(packing, m, k, n, vector);
        open = false;
        a64 = a;
        b64 = b;
        c64 = c;
        share(ta, tb, m, k, n, vector, parts);
        a64 = null;
        b64 = null;
        c64 = null;
        busy.set(false);
        return true;
    }

    private void share(boolean ta, boolean tb, int m, int k, int n, boolean vector, int parts) {
        this.ta = ta;
        this.tb = tb;
        this.m = m;
        this.k = k;
        this.n = n;
        this.vector = vector;
        this.parts = Math.min(parts, size());
        arrived.set(0);
        claims.set(0);
        packClaims.set(0);
        packDone.set(0);
        caller = Thread.currentThread();
        pending.set(this.parts - 1);
        finished.set(0);
        entry.set(0);
        generation++;
        for (int w = 0; w < this.parts - 1; w++) {
            LockSupport.unpark(workers[w]);
        }
        compute(0, MatmulWorkspace.current());
        if (open) {
            // Workers not yet in stay out; wait only for those that came in.
            int joined = entry.getAndAdd(CLOSED);
            long start = System.nanoTime();
            while (finished.get() < joined) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            return;
        }
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
            long current = generation;
            if (entry.getAndIncrement() < 0) {
                // The product ended without this member: a later one will reset the entry.
                seen = current;
                continue;
            }
            // In: the product cannot end before this member finishes, so this is its generation.
            seen = generation;
            if (open) {
                if (part < parts) {
                    compute(part, work);
                }
                finished.incrementAndGet();
                LockSupport.unpark(caller);
            } else if (part < parts) {
                compute(part, work);
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    /** Member {@code part}'s share of the product. */
    private void compute(int part, MatmulWorkspace work) {
        if (c32 != null) {
            BlockedMatmul.multiply(a32, ta, b32, tb, c32, m, k, n, vector, this, part, packing, work);
        } else {
            BlockedMatmul.multiply(a64, ta, b64, tb, c64, m, k, n, vector, this, part, packing, work);
        }
    }

    /** Threads sharing the product in hand. */
    int members() {
        return parts;
    }

    /**
     * Waits until every member has called this as often; the last to arrive restarts the
     * claim counter, which no member uses between two barriers' arrivals.
     */
    void await() {
        int phase = barrierPhase;
        if (arrived.incrementAndGet() == parts) {
            arrived.set(0);
            claims.set(0);
            barrierPhase = phase + 1;
            return;
        }
        long start = System.nanoTime();
        while (barrierPhase == phase) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** The first of the next {@link #CLAIM} slivers of B's columns for the calling member. */
    int claim() {
        return claims.getAndAdd(CLAIM);
    }

    /** The first of the next {@code count} pieces of the product for the calling member. */
    int claim(int count) {
        return claims.getAndAdd(count);
    }

    /** The first of the next {@code count} slivers of the shared operand for the calling member to pack. */
    int packClaim(int count) {
        return packClaims.getAndAdd(count);
    }

    /** Records {@code count} slivers of the shared operand as packed. */
    void packed(int count) {
        packDone.addAndGet(count);
    }

    /** Waits until all {@code total} slivers of the shared operand are packed. */
    void awaitPacked(int total) {
        long start = System.nanoTime();
        while (packDone.get() < total) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }
}
