package dev.hstu.formats.fuzz;

import java.lang.management.ManagementFactory;

/**
 * The bytes the current thread allocates while a reader runs, for the fuzz properties' bound "no allocation beyond
 * the input's size": a header that is data must not decide how much memory a reader asks for.
 */
public final class Allocation {

    /** Code under measurement. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {}

    /**
     * @param body the reader's call
     * @return bytes allocated by this thread while it ran
     * @throws Exception what the body throws
     */
    public static long of(Body body) throws Exception {
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        body.run();
        return THREADS.getThreadAllocatedBytes(thread) - before;
    }
}
