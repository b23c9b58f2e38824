package dev.hstu.bench.ingest;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a paced ingest run observed, gathered across the MiniCluster's task threads. The MiniCluster runs in this
 * JVM and loads the job's classes from the application class path, so static fields are shared by the source, the
 * latency probe and the benchmark that reads them; one run at a time.
 */
final class RateProbe {

    /** 1 ms buckets; the last one holds everything slower. */
    private static final int BUCKETS = 600_001;

    private static final AtomicLongArray LATENCY = new AtomicLongArray(BUCKETS);
    private static volatile long measureFromMs;
    private static volatile boolean sourceDone;
    private static volatile long firstNanos;
    private static volatile long lastNanos;
    private static volatile long firstCpuNanos;
    private static volatile long lastCpuNanos;
    private static volatile long generated;

    private RateProbe() {}

    static void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            LATENCY.set(i, 0);
        }
        measureFromMs = Long.MAX_VALUE;
        sourceDone = false;
        firstNanos = 0;
        lastNanos = 0;
        generated = 0;
    }

    /** Called by the (single) source thread for its first event; latencies count from {@code measureFromMs}. */
    static void started(long measureFrom) {
        measureFromMs = measureFrom;
        firstNanos = System.nanoTime();
        firstCpuNanos = processCpuNanos();
    }

    static void generated(long count, boolean last) {
        generated = count;
        if (last) {
            lastNanos = System.nanoTime();
            lastCpuNanos = processCpuNanos();
            // What the keyed function flushes at the end of the bounded input is not live traffic.
            sourceDone = true;
        }
    }

    /** A record left the pipeline at {@code nowMs}; its newest event was due at {@code eventMs}. */
    static void arrived(long eventMs, long nowMs) {
        if (sourceDone || eventMs < measureFromMs) {
            return;
        }
        LATENCY.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, nowMs - eventMs)));
    }

    static long generated() {
        return generated;
    }

    static double sourceSeconds() {
        return (lastNanos - firstNanos) / 1e9;
    }

    static double cpuSeconds() {
        return (lastCpuNanos - firstCpuNanos) / 1e9;
    }

    static long samples() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += LATENCY.get(i);
        }
        return n;
    }

    /** The q-quantile in ms (bucket upper edge is not added: a bucket {@code b} holds [b, b+1) ms). */
    static long percentileMs(double q) {
        long n = samples();
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += LATENCY.get(i);
            if (seen >= rank && seen > 0) {
                return i;
            }
        }
        return -1;
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }
}
