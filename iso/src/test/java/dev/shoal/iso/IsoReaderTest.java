package dev.shoal.iso;

import static dev.shoal.iso.Tools.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our reader on images written by xorriso (with and without Rock Ridge and Joliet), and on bad input. */
class IsoReaderTest {
    @TempDir
    static Path tmp;
    static Path src;
    static Map<String, Integer> modes;

    @BeforeAll
    static void source() throws IOException {
        src = Files.createDirectories(tmp.resolve("src"));
        modes = Fixtures.createSource(src);
    }

    @Test
    void readsXorrisoRockRidgeAndJolietImage() throws Exception {
        Path iso = tmp.resolve("rj.iso");
        run("xorriso", "-as", "mkisofs", "-R", "-J", "-V", "XORRISO_LABEL", "-o", iso.toString(), src.toString());
        try (IsoReader r = IsoReader.open(iso)) {
            assertThat(r.volumeId()).isEqualTo("XORRISO_LABEL");
            assertThat(r.names()).isEqualTo(IsoReader.Names.ROCK_RIDGE);
            assertThat(r.entries()).extracting(IsoEntry::path).containsExactlyElementsOf(Fixtures.list(src).keySet());
            for (IsoEntry e : r.entries()) {
                assertThat(e.directory()).as(e.path()).isEqualTo(Files.isDirectory(src.resolve(e.path())));
                // mkisofs -R (unlike -r) keeps the source's modes.
                assertThat(e.mode()).as(e.path()).hasValue(modes.get(e.path()));
                if (!e.directory()) assertSameContent(r, e.path());
            }
        }
    }

    @Test
    void readsJolietNamesWhenThereIsNoRockRidge() throws Exception {
        Path iso = tmp.resolve("j.iso");
        run("xorriso", "-as", "mkisofs", "--norock", "-J", "-V", "JOLIET", "-o", iso.toString(), src.toString());
        try (IsoReader r = IsoReader.open(iso)) {
            assertThat(r.names()).isEqualTo(IsoReader.Names.JOLIET);
            assertThat(r.find(Fixtures.LONG60)).hasValueSatisfying(e -> assertThat(e.mode()).isEmpty());
            assertThat(r.find(Fixtures.DEEP)).isPresent();
            assertThat(r.find("données-é.txt")).isPresent();
            assertThat(r.find("emptydir")).hasValueSatisfying(e -> assertThat(e.directory()).isTrue());
            assertSameContent(r, "task.json");
            assertSameContent(r, "openstack/latest/meta_data.json");
            assertSameContent(r, Fixtures.BIG);
        }
    }

    @Test
    void readsPlainIso9660NamesWithoutVersion() throws Exception {
        Path iso = tmp.resolve("plain.iso");
        run("xorriso", "-as", "mkisofs", "--norock", "-V", "PLAIN", "-o", iso.toString(), src.toString());
        try (IsoReader r = IsoReader.open(iso)) {
            assertThat(r.names()).isEqualTo(IsoReader.Names.ISO9660);
            long taskSize = Files.size(src.resolve("task.json"));
            assertThat(r.find("TASK.JSO")).hasValueSatisfying(e -> assertThat(e.size()).isEqualTo(taskSize));
            assertThat(new String(r.readAllBytes("OPENSTAC/LATEST/META_DAT.JSO"))).contains("uuid");
            assertThat(r.find("EMPTY.TXT")).hasValueSatisfying(e -> assertThat(e.size()).isZero());
        }
    }

    @Test
    void missingPathsAndDirectoriesAreNotFiles() throws Exception {
        Path iso = tmp.resolve("small.iso");
        IsoWriter.builder().file("a/b.txt", "b").writeTo(iso);
        try (IsoReader r = IsoReader.open(iso)) {
            assertThatThrownBy(() -> r.readAllBytes("nope.txt")).isInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> r.readAllBytes("a")).isInstanceOf(IOException.class).hasMessageContaining("is a directory");
            assertThat(r.readAllBytes("/a/b.txt")).containsExactly('b');
        }
    }

    @Test
    void truncatedImageIsReportedAsTruncated() throws Exception {
        byte[] image = IsoWriter.builder().file("a.txt", new byte[100_000]).toByteArray();
        Path cut = tmp.resolve("cut.iso");
        Files.write(cut, java.util.Arrays.copyOf(image, image.length - 4096));
        assertThatThrownBy(() -> IsoReader.open(cut)).isInstanceOf(IsoFormatException.class).hasMessageContaining("truncated");
        Path veryCut = tmp.resolve("very-cut.iso");
        Files.write(veryCut, java.util.Arrays.copyOf(image, 16 * 2048 + 100));
        assertThatThrownBy(() -> IsoReader.open(veryCut)).isInstanceOf(IsoFormatException.class).hasMessageContaining("not an ISO 9660 image");
    }

    @Test
    void notAnIsoIsReportedClearly() throws Exception {
        Path random = tmp.resolve("random.bin");
        byte[] junk = new byte[200_000];
        new Random(1).nextBytes(junk);
        Files.write(random, junk);
        assertThatThrownBy(() -> IsoReader.open(random)).isInstanceOf(IsoFormatException.class)
            .hasMessageContaining("not an ISO 9660 image").hasMessageContaining("CD001");
        Path empty = Files.createFile(tmp.resolve("empty.iso"));
        assertThatThrownBy(() -> IsoReader.open(empty)).isInstanceOf(IsoFormatException.class)
            .hasMessageContaining("not an ISO 9660 image").hasMessageContaining("0 bytes");
        assertThatThrownBy(() -> IsoReader.open(tmp.resolve("missing.iso"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void damagedDirectoryIsReportedNotLooped() throws Exception {
        byte[] image = IsoWriter.builder().file("a.txt", "a").toByteArray();
        // Point the root directory at an extent far beyond the end of the image.
        long root = Bytes.readLe32(image, 16 * 2048 + 156 + 2);
        byte[] bad = image.clone();
        Bytes.both32(bad, 16 * 2048 + 156 + 2, 0x7FFFFFF0L);
        Path p = tmp.resolve("bad-root.iso");
        Files.write(p, bad);
        assertThatThrownBy(() -> IsoReader.open(p)).isInstanceOf(IsoFormatException.class);
        // A record too short to hold its own fixed fields (after "." and "..").
        bad = image.clone();
        int dir = (int) root * 2048;
        int third = dir + (bad[dir] & 0xff) + (bad[dir + (bad[dir] & 0xff)] & 0xff);
        bad[third] = (byte) 20;
        Files.write(p, bad);
        assertThatThrownBy(() -> IsoReader.open(p)).isInstanceOf(IsoFormatException.class).hasMessageContaining("damaged");
    }

    private static void assertSameContent(IsoReader r, String path) throws IOException {
        try (InputStream in = r.newInputStream(path); InputStream want = Files.newInputStream(src.resolve(path))) {
            assertThat(in).as(path).hasSameContentAs(want);
        }
    }
}
