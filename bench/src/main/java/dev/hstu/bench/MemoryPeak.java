package dev.hstu.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory peak of one benchmark case: the JVM heap (per-pool peaks, reset at the start of the case) and the
 * process's resident set (VmHWM, which Linux resets when "5" is written to /proc/self/clear_refs). The RSS figure
 * counts what the heap cannot see: PyTorch tensors, RocksDB, thread stacks and the JIT.
 */
public final class MemoryPeak {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    /**
     * @param heapBytes sum of the heap pools' peaks: an upper bound of the heap in use at any one moment, since
     *     the young pools peak just before a collection and the old pool may peak later
     * @param rssBytes VmHWM: the largest resident set since the reset (or since the process started, when
     *     {@code rssSinceReset} is false)
     * @param rssStartBytes VmRSS at the reset. Native memory freed by an earlier case often stays resident (the
     *     allocators keep it for reuse), so the peak minus this is the case's own growth, the peak its footprint
     */
    public record Reading(long heapBytes, long rssBytes, boolean rssSinceReset, long rssStartBytes) {
        public long heapMb() {
            return heapBytes / (1L << 20);
        }

        public long rssMb() {
            return rssBytes < 0 ? -1 : rssBytes / (1L << 20);
        }

        public long rssStartMb() {
            return rssStartBytes < 0 ? -1 : rssStartBytes / (1L << 20);
        }
    }

    private boolean rssReset;
    private long rssStart;

    /**
     * Starts a case: garbage from the cases before is collected first so it does not count as this case's, then
     * the peaks are set to what is in use now.
     */
    public void reset() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
        rssReset = clearPeakRss();
        rssStart = statusKb("VmRSS:") * 1024;
    }

    public Reading read() {
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getPeakUsage() != null) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        return new Reading(heap, statusKb("VmHWM:") * 1024, rssReset, rssStart);
    }

    /** Where the kernel allows it (Linux 4.0+, own process): VmHWM drops to the current RSS. */
    private static boolean clearPeakRss() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
