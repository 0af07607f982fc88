package dev.shoal.controller.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappedFilesTest {
    final MappedFiles mappings = new MappedFiles();

    static String read(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return new String(out, StandardCharsets.US_ASCII);
    }

    static BasicFileAttributes stat(Path p) throws Exception {
        return Files.readAttributes(p, BasicFileAttributes.class);
    }

    @Test
    void aRangeComesStraightFromTheFile(@TempDir Path dir) throws Exception {
        Path iso = Files.writeString(dir.resolve("a.iso"), "0123456789abcdef");
        try (MappedFiles.Use use = mappings.use(iso, stat(iso)).orElseThrow()) {
            assertThat(read(use.slice(10, 4))).isEqualTo("abcd");
            assertThatThrownBy(() -> use.slice(14, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void aReplacedFileIsServedAsItIsNowAndTheOldMappingGoesWhenItsLastUserIsDone(@TempDir Path dir) throws Exception {
        Path iso = Files.writeString(dir.resolve("a.iso"), "old contents....");
        MappedFiles.Use old = mappings.use(iso, stat(iso)).orElseThrow();
        Path next = Files.writeString(dir.resolve("a.iso.tmp"), "new contents!!!!");
        Files.move(next, iso, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        try (MappedFiles.Use now = mappings.use(iso, stat(iso)).orElseThrow()) {
            assertThat(read(now.slice(0, 3))).isEqualTo("new");
            assertThat(read(old.slice(0, 3))).as("a response still writing from the old file keeps it").isEqualTo("old");
        }
        old.close();
        assertThatThrownBy(() -> read(old.slice(0, 3))).as("unmapped once its last user is done")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEmptyFileIsNotMapped(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.iso"));
        assertThat(mappings.use(empty, stat(empty))).isEmpty();
    }
}
