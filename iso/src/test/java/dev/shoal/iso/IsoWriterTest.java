package dev.shoal.iso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer behaviour that needs no external tool: reproducibility, crash-safe writes, input validation. */
class IsoWriterTest {
    @TempDir
    Path tmp;

    private static IsoWriter.Builder sample(Instant t) {
        return IsoWriter.builder().volumeId("SHOAL-TASK").timestamp(t)
            .file("task.json", "{\"job\":1}")
            .file("openstack/latest/meta_data.json", "{}")
            .directory("empty");
    }

    @Test
    void fixedTimestampMakesOutputReproducible() throws Exception {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        byte[] a = sample(t).toByteArray();
        byte[] b = sample(t).toByteArray();
        // The order files are added in does not matter either.
        byte[] c = IsoWriter.builder().volumeId("SHOAL-TASK").timestamp(t).directory("empty")
            .file("openstack/latest/meta_data.json", "{}").file("task.json", "{\"job\":1}").toByteArray();
        assertThat(sha256(a)).isEqualTo(sha256(b)).isEqualTo(sha256(c));
        assertThat(sha256(sample(t.plusSeconds(1)).toByteArray())).isNotEqualTo(sha256(a));

        Path p = tmp.resolve("task.iso");
        IsoWriter w = sample(t).build();
        w.writeTo(p);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.writeTo(out);
        assertThat(Files.readAllBytes(p)).isEqualTo(a).isEqualTo(out.toByteArray());
        assertThat(w.size()).isEqualTo(a.length).isEqualTo(a.length / 2048 * 2048L);
    }

    @Test
    void writeToPathReplacesAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
        Path p = tmp.resolve("task.iso");
        Files.writeString(p, "old");
        sample(Instant.EPOCH).writeTo(p);
        try (IsoReader r = IsoReader.open(p)) {
            assertThat(r.readAllBytes("task.json")).asString().isEqualTo("{\"job\":1}");
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(x -> x.getFileName().toString())).containsExactly("task.iso");
        }
    }

    @Test
    void failedWriteKeepsTheOldImageAndCleansUp() throws Exception {
        Path p = tmp.resolve("task.iso");
        Files.writeString(p, "old");
        Path source = Files.writeString(tmp.resolve("source.bin"), "data");
        IsoWriter w = IsoWriter.builder().file("source.bin", source).build();
        Files.delete(source); // vanishes between build and write
        assertThatThrownBy(() -> w.writeTo(p)).isInstanceOf(java.io.IOException.class);
        assertThat(Files.readString(p)).isEqualTo("old");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(x -> x.getFileName().toString())).containsExactly("task.iso");
        }
    }

    @Test
    void largeFileIsStreamedFromDisk() throws Exception {
        // 100 MB sparse source: proves the size path without 100 MB of heap (surefire runs with -Xmx1g anyway).
        Path big = tmp.resolve("big.bin");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap("end".getBytes()), 100L * 1024 * 1024 - 3);
        }
        Path iso = tmp.resolve("big.iso");
        IsoWriter.builder().file("big.bin", big).writeTo(iso);
        try (IsoReader r = IsoReader.open(iso); var in = r.newInputStream("big.bin")) {
            assertThat(r.find("big.bin").orElseThrow().size()).isEqualTo(100L * 1024 * 1024);
            in.skipNBytes(100L * 1024 * 1024 - 3);
            assertThat(new String(in.readAllBytes())).isEqualTo("end");
        }
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> IsoWriter.builder().volumeId("x".repeat(33))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IsoWriter.builder().volumeId("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IsoWriter.builder().volumeId("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IsoWriter.builder().level(4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IsoWriter.builder().file("a", "1").file("a", "2")).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> IsoWriter.builder().file("a", "1").file("a/b", "2")).hasMessageContaining("in the way");
        assertThatThrownBy(() -> IsoWriter.builder().file("../a", "1")).hasMessageContaining("invalid path");
        assertThatThrownBy(() -> IsoWriter.builder().file("/", "1")).hasMessageContaining("empty path");
        assertThatThrownBy(() -> IsoWriter.builder().file("x".repeat(256), "1")).hasMessageContaining("255");
        assertThatThrownBy(() -> IsoWriter.builder().file("a", new byte[0], 0100644)).hasMessageContaining("mode");
        assertThat(IsoWriter.builder().volumeId("config-2")).isNotNull();
    }

    @Test
    void levelTwoKeepsLongerIsoNames() throws Exception {
        Path iso = tmp.resolve("l2.iso");
        IsoWriter.builder().level(2).file("a-long-file-name.json", "x").writeTo(iso);
        String listing = Tools.run("isoinfo", "-f", "-i", iso.toString());
        assertThat(listing).contains("/A_LONG_FILE_NAME.JSON;1");
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
