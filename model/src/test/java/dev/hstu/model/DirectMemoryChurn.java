package dev.hstu.model;

import java.nio.ByteBuffer;

/**
 * Makes use-after-free of GC-managed native memory visible: runs the collector so unreachable
 * direct buffers are freed, then allocates new ones filled with {@code 0xFF} (a NaN bit pattern in
 * float32) so freed memory that is read again holds garbage rather than its old values.
 */
public final class DirectMemoryChurn {

    private DirectMemoryChurn() {}

    /** @return bytes allocated (so the allocations are not optimised away) */
    public static long collectAndReuse() {
        long bytes = 0;
        for (int i = 0; i < 3; i++) {
            System.gc();
            for (int j = 0; j < 64; j++) {
                ByteBuffer b = ByteBuffer.allocateDirect(64);
                while (b.hasRemaining()) {
                    b.put((byte) 0xFF);
                }
                bytes += b.capacity();
            }
        }
        return bytes;
    }
}
