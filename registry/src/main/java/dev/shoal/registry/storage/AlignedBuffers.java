package dev.shoal.registry.storage;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers for streaming uploads, each {@link #SIZE} bytes of room after a lead of up to one alignment unit, its
 * address aligned to {@link #ALIGNMENT} so that its aligned middle can be written to a file opened for direct I/O.
 * Buffers come back here after use; up to {@link #KEPT} are kept for the next upload, the rest left to the GC.
 */
final class AlignedBuffers {
    /** Room per buffer for body bytes. */
    static final int SIZE = 2 * 1024 * 1024;
    /** Memory address and file offset alignment that direct I/O needs on the filesystems we meet (and page size). */
    static final int ALIGNMENT = 4096;
    /** Enough for a few uploads streaming at once without allocating direct memory each time. */
    static final int KEPT = 16;

    private final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();

    /** A cleared buffer with {@code SIZE + ALIGNMENT} bytes of capacity, its index 0 at an aligned address. */
    ByteBuffer take() {
        ByteBuffer b = free.poll();
        if (b != null) {
            kept.decrementAndGet();
            return b.clear();
        }
        return ByteBuffer.allocateDirect(SIZE + 2 * ALIGNMENT).alignedSlice(ALIGNMENT).limit(SIZE + ALIGNMENT).slice();
    }

    void give(ByteBuffer b) {
        if (kept.incrementAndGet() <= KEPT) {
            free.add(b);
        } else {
            kept.decrementAndGet();
        }
    }
}
