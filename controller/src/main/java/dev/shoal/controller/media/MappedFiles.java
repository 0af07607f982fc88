package dev.shoal.controller.media;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One read-only mapping per served file, kept while the file stays the same, so a range is written to the socket
 * straight from the page cache instead of being read into a buffer first (a fifth of the CPU per 64 KiB range).
 *
 * <p>A mapping is counted while responses write from it. When its file is replaced (another size, time or inode)
 * or it falls out of the table, it is retired: no new response uses it, and it is unmapped when the last one using
 * it has finished, so a replaced ISO's disk blocks are given back at once instead of whenever the garbage collector
 * gets to it, and no write can ever read unmapped memory.
 */
final class MappedFiles {
    /** Maintenance ISOs and the task ISOs of running jobs; beyond that, the oldest use is retired. */
    static final int MAX_FILES = 256;

    private final Map<Path, Mapping> byPath = new ConcurrentHashMap<>();

    /** A mapping in use by one response; {@link #close()} it when the response has been written. */
    interface Use extends AutoCloseable {
        ByteBuffer slice(long offset, int length);

        @Override
        void close();
    }

    /** The file's mapping, made or renewed as needed; empty when it cannot be mapped (the caller reads instead). */
    Optional<Use> use(Path file, BasicFileAttributes attrs) {
        if (attrs.size() == 0) {
            return Optional.empty();
        }
        Key key = Key.of(attrs);
        for (int attempt = 0; attempt < 3; attempt++) {
            Mapping m = byPath.compute(file, (p, old) -> {
                if (old != null && old.key.equals(key) && !old.retired) {
                    return old;
                }
                if (old != null) {
                    old.retire();
                }
                return Mapping.open(p, key);
            });
            if (m == null) {
                return Optional.empty();
            }
            if (m.acquire()) {
                trim(file);
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private void trim(Path keep) {
        if (byPath.size() <= MAX_FILES) {
            return;
        }
        byPath.entrySet().stream().filter(e -> !e.getKey().equals(keep))
                .min((a, b) -> Long.compare(a.getValue().lastUse, b.getValue().lastUse))
                .ifPresent(e -> {
                    if (byPath.remove(e.getKey(), e.getValue())) {
                        e.getValue().retire();
                    }
                });
    }

    private record Key(long size, long modifiedNanos, Object fileKey) {
        static Key of(BasicFileAttributes a) {
            return new Key(a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.fileKey());
        }
    }

    private static final class Mapping implements Use {
        private final Key key;
        private final Arena arena;
        private final MemorySegment segment;
        /** Responses writing from it; -1 once unmapped. */
        private final AtomicInteger users = new AtomicInteger();
        private volatile boolean retired;
        volatile long lastUse;

        private Mapping(Key key, Arena arena, MemorySegment segment) {
            this.key = key;
            this.arena = arena;
            this.segment = segment;
        }

        /** Null when the file cannot be opened or mapped now (gone, replaced under us): the caller reads it instead. */
        static Mapping open(Path file, Key key) {
            Arena arena = Arena.ofShared();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size != key.size()) {
                    arena.close();
                    return null;
                }
                return new Mapping(key, arena, ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena));
            } catch (IOException | UnsupportedOperationException e) {
                arena.close();
                return null;
            }
        }

        boolean acquire() {
            while (true) {
                int u = users.get();
                if (u < 0 || retired) {
                    return false;
                }
                if (users.compareAndSet(u, u + 1)) {
                    if (retired) { // retired between the check and the increment: give it back
                        close();
                        return false;
                    }
                    lastUse = System.nanoTime();
                    return true;
                }
            }
        }

        @Override
        public ByteBuffer slice(long offset, int length) {
            Objects.checkFromIndexSize(offset, length, segment.byteSize());
            return segment.asSlice(offset, length).asByteBuffer();
        }

        /** The end of one response's use. */
        @Override
        public void close() {
            if (users.decrementAndGet() == 0 && retired) {
                unmap();
            }
        }

        void retire() {
            retired = true;
            unmap();
        }

        private void unmap() {
            if (users.compareAndSet(0, -1)) {
                arena.close();
            }
        }
    }
}
