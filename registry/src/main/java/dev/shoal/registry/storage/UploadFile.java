package dev.shoal.registry.storage;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upload's data file, appended to in order. Where the filesystem allows it, the aligned middle of each write goes
 * through a second descriptor opened with {@code O_DIRECT}: the disk takes those bytes straight from the buffer, so
 * the page cache is neither filled (a copy per byte, the largest cost of an upload after its hash) nor flushed at
 * commit. The unaligned head and tail of a write, and everything on a filesystem without direct I/O, go through the
 * page cache as usual; then a background fsync starts every {@link #FLUSH_EVERY} bytes, so the disk writes a large
 * upload while it arrives instead of all of it at commit.
 *
 * <p>A block is only ever written one way: the buffered head of a write completes the block the previous write's
 * buffered tail began, and direct writes start on the next block boundary. Durability comes from the commit's fsync,
 * whichever way the bytes went.
 */
final class UploadFile implements AutoCloseable {
    static final long FLUSH_EVERY = 64L * 1024 * 1024;

    private final Path path;
    private final FileChannel buffered;
    private FileChannel direct; // null when the filesystem has no direct I/O, or it failed once
    private long end;
    private long flushedAt;
    private final AtomicBoolean flushing = new AtomicBoolean();

    private UploadFile(Path path, FileChannel buffered, FileChannel direct, long end) {
        this.path = path;
        this.buffered = buffered;
        this.direct = direct;
        this.end = end;
        this.flushedAt = end;
    }

    /**
     * Whether files in {@code dir} may be tried with direct I/O: its filesystem's blocks are no larger than
     * {@link AlignedBuffers#ALIGNMENT}. Asked once per directory, not per upload: it reads the mount table.
     */
    static boolean mayUseDirectIo(Path dir) {
        try {
            return Files.getFileStore(dir).getBlockSize() <= AlignedBuffers.ALIGNMENT;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Opens {@code path} to append at {@code end}, cutting off anything past it (the tail of a write that failed and
     * was never acknowledged). With {@code tryDirect} false, or where the filesystem refuses it, no direct I/O.
     */
    static UploadFile open(Path path, long end, boolean tryDirect) throws IOException {
        FileChannel buffered = FileChannel.open(path, StandardOpenOption.WRITE);
        try {
            buffered.truncate(end);
            return new UploadFile(path, buffered, tryDirect ? openDirect(path) : null, end);
        } catch (IOException | RuntimeException e) {
            buffered.close();
            throw e;
        }
    }

    private static FileChannel openDirect(Path path) {
        try {
            return FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException e) {
            return null; // tmpfs and friends: the page cache it is
        }
    }

    /** Whether writes currently use direct I/O for their aligned middle. */
    boolean direct() {
        return direct != null;
    }

    /** The file's length: every byte appended so far. */
    long end() {
        return end;
    }

    /**
     * Appends {@code b}'s remaining bytes. Direct I/O is used for a buffer from {@link AlignedBuffers} whose position is
     * {@code end() % ALIGNMENT}, so file offsets on a block boundary sit at aligned addresses; any other buffer goes
     * through the page cache. On failure the file is cut back to what it held before and the exception thrown.
     */
    void append(ByteBuffer b) throws IOException {
        long start = end;
        try {
            boolean aligned = direct != null && b.isDirect() && b.position() == (int) (start % AlignedBuffers.ALIGNMENT);
            long stop = start + b.remaining();
            long head = aligned ? Math.min(alignUp(start), stop) : stop;
            long middle = aligned ? Math.max(head, alignDown(stop)) : stop;
            writeBuffered(b, start, head);
            if (middle > head) {
                writeDirect(b, head, middle);
            }
            writeBuffered(b, middle, stop);
            end = stop;
        } catch (IOException | RuntimeException e) {
            try {
                buffered.truncate(start);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        if (direct == null && end - flushedAt >= FLUSH_EVERY && startFlush()) {
            flushedAt = end;
        }
    }

    /** Writes file offsets {@code [from, to)} from {@code b}, whose position maps to offset {@code end}. */
    private void writeBuffered(ByteBuffer b, long from, long to) throws IOException {
        write(buffered, b, from, to);
    }

    private void writeDirect(ByteBuffer b, long from, long to) throws IOException {
        try {
            write(direct, b, from, to);
        } catch (IOException e) {
            // a filesystem that opened with O_DIRECT but refuses these writes (alignment it wants larger): page cache
            // from here on, which is always correct
            direct.close();
            direct = null;
            write(buffered, b, from, to);
        }
    }

    private void write(FileChannel ch, ByteBuffer b, long from, long to) throws IOException {
        if (to <= from) {
            return;
        }
        int first = b.position() + (int) (from - end);
        ByteBuffer piece = b.duplicate().limit(first + (int) (to - from)).position(first);
        for (long at = from; piece.hasRemaining(); ) {
            at += ch.write(piece, at);
        }
    }

    private static long alignUp(long x) {
        return (x + AlignedBuffers.ALIGNMENT - 1) & -AlignedBuffers.ALIGNMENT;
    }

    private static long alignDown(long x) {
        return x & -AlignedBuffers.ALIGNMENT;
    }

    /** Starts an fsync on its own descriptor unless one is running; true if started. Only a head start for commit. */
    private boolean startFlush() {
        if (!flushing.compareAndSet(false, true)) {
            return false;
        }
        Thread.ofVirtual().name("upload-flush").start(() -> {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                ch.force(false);
            } catch (IOException e) {
                // removed (cancelled, committed) or failing: the commit's own fsync decides
            } finally {
                flushing.set(false);
            }
        });
        return true;
    }

    @Override
    public void close() throws IOException {
        try (buffered) {
            if (direct != null) {
                direct.close();
            }
        }
    }
}
