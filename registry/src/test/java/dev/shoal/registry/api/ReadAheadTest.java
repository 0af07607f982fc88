package dev.shoal.registry.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The read-ahead hint binds on Linux and leaves a mapping, at any offset and length, reading the file's bytes. */
class ReadAheadTest {
    @TempDir
    Path dir;

    @Test
    void hintsAreGivenOnLinuxAndChangeNothingThatIsRead() throws Exception {
        assertThat(ReadAhead.available()).as("madvise bound through the FFM linker").isTrue();
        byte[] content = new byte[3 * 1024 * 1024 + 123];
        new Random(9).nextBytes(content);
        Path file = Files.write(dir.resolve("blob"), content);
        try (FileChannel ch = FileChannel.open(file); Arena arena = Arena.ofShared()) {
            long offset = 4097; // a mapping that starts off a page boundary, as a blob range does
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, offset, content.length - offset, arena);
            ReadAhead.willNeed(mapped.asSlice(10, 1_000_000));
            ReadAhead.willNeed(mapped.asSlice(mapped.byteSize() - 5, 5));
            ReadAhead.willNeed(mapped.asSlice(0, 0));
            byte[] read = mapped.toArray(ValueLayout.JAVA_BYTE);
            assertThat(read).isEqualTo(java.util.Arrays.copyOfRange(content, (int) offset, content.length));
        }
    }
}
