package dev.shoal.registry.api;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Asks the kernel to start reading part of a mapped blob from disk before it is written to the socket
 * ({@code madvise(MADV_WILLNEED)}, which returns at once). A blob that is not in the page cache, because it was
 * uploaded with direct I/O or has been evicted since, would otherwise be read page fault by page fault while the
 * socket write waits, at a fraction of what the disk gives to large reads. Where the call cannot be made (no native
 * access granted, another OS) nothing is asked and blobs are served as before.
 */
final class ReadAhead {
    private static final int MADV_WILLNEED = 3;
    private static final long PAGE = 4096;
    private static final MethodHandle MADVISE = bind();

    private ReadAhead() {
    }

    private static MethodHandle bind() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("madvise")
                    .map(f -> linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Whether hints are given on this platform. */
    static boolean available() {
        return MADVISE != null;
    }

    /** Hints that {@code range}, part of a live read-only file mapping, will be read soon. */
    static void willNeed(MemorySegment range) {
        if (MADVISE == null || range.byteSize() == 0) {
            return;
        }
        long start = range.address() & -PAGE;
        long length = range.address() + range.byteSize() - start;
        try {
            int ignored = (int) MADVISE.invokeExact(MemorySegment.ofAddress(start), length, MADV_WILLNEED);
        } catch (Throwable e) {
            // only a hint: the write reads the pages either way
        }
    }
}
