package dev.shoal.iso;

import static dev.shoal.iso.Fixtures.BIG;
import static dev.shoal.iso.Fixtures.DEEP;
import static dev.shoal.iso.Fixtures.LONG200;
import static dev.shoal.iso.Fixtures.LONG60;
import static dev.shoal.iso.Tools.assertContains;
import static dev.shoal.iso.Tools.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our images as xorriso, isoinfo, bsdtar and blkid see them. */
class IsoWriterInteropTest {
    @TempDir
    static Path tmp;
    static Path src;
    static Path iso;
    static Map<String, Integer> modes;

    @BeforeAll
    static void writeImage() throws IOException {
        assertThat(LONG60).hasSize(60);
        src = Files.createDirectories(tmp.resolve("src"));
        modes = Fixtures.createSource(src);
        iso = tmp.resolve("task.iso");
        Fixtures.builderFor(src, modes).writeTo(iso);
    }

    @Test
    void isoinfoFindsVolumeIdJolietAndRockRidge() throws Exception {
        String d = run("isoinfo", "-d", "-i", iso.toString());
        assertContains(d, "Volume id: SHOAL-TASK", "Joliet with UCS level 3 found", "Rock Ridge signatures version 1 found",
            "Logical block size is: 2048", "Volume size is: " + Files.size(iso) / 2048);
    }

    @Test
    void isoinfoListsRockRidgeNamesAndModes() throws Exception {
        String f = run("isoinfo", "-R", "-f", "-i", iso.toString());
        assertContains(f, "/" + LONG60, "/" + LONG200, "/" + DEEP, "/données-é.txt", "/emptydir", "/empty.txt", "/" + BIG);
        String l = run("isoinfo", "-R", "-l", "-i", iso.toString());
        assertThat(l).containsPattern("-rwxr-xr-x .* run\\.sh")
            .containsPattern("-rw------- .* " + LONG200)
            .containsPattern("-rw-r--r-- .* " + Fixtures.BIG_SIZE + " .* big\\.bin");
    }

    @Test
    void isoinfoListsJolietNames() throws Exception {
        String f = Tools.runLatin1("isoinfo", "-J", "-j", "iso8859-1", "-f", "-i", iso.toString());
        // Joliet: up to 64 UCS-2 characters; isoinfo prints the ";1" version too.
        assertContains(f, "/" + LONG60, "/" + DEEP, "/données-é.txt", "/openstack/latest/meta_data.json", "/emptydir");
        String l = run("isoinfo", "-J", "-l", "-i", iso.toString());
        assertContains(l, "Directory listing of /d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/");
    }

    @Test
    void isoinfoListsPlainIso9660NamesAtLevel1() throws Exception {
        String f = run("isoinfo", "-f", "-i", iso.toString());
        assertContains(f, "/TASK.JSO;1", "/OPENSTAC/LATEST/META_DAT.JSO;1", "/EMPTYDIR", "/RUN.SH;1", "/COLLISIO.TXT;1", "/COLLISI1.TXT;1");
    }

    @Test
    void xorrisoListsNamesAndModes() throws Exception {
        String out = run("xorriso", "-indev", iso.toString(), "-find", "/", "-exec", "lsdl");
        for (var e : modes.entrySet()) {
            String perm = (Files.isDirectory(src.resolve(e.getKey())) ? "d" : "-") + Integer.toOctalString(e.getValue());
            String line = out.lines().filter(s -> s.endsWith("'/" + e.getKey() + "'")).findFirst().orElse(null);
            assertThat(line).as("xorriso line for " + e.getKey()).isNotNull();
            assertThat(symbolic(perm)).as(e.getKey()).isEqualTo(line.substring(0, 10));
        }
    }

    @Test
    void xorrisoExtractsEverythingByteForByteWithModes() throws Exception {
        Path out = tmp.resolve("xorriso-out");
        run("xorriso", "-osirrox", "on", "-indev", iso.toString(), "-extract", "/", out.toString());
        Fixtures.assertSameTree(src, out, true);
    }

    @Test
    void xorrisoChecksTheImage() throws Exception {
        // -check_media reads every block the volume descriptor claims; the whole volume must be one good region.
        Tools.Result r = Tools.exec("xorriso", "-indev", iso.toString(), "-check_media", "--");
        assertThat(r.exit()).isZero();
        assertThat(r.out() + r.err()).containsPattern("Media region : +0 , +" + Files.size(iso) / 2048 + " , \\+ good")
            .doesNotContain("FAILURE").doesNotContain("SORRY");
    }

    @Test
    void bsdtarListsAndExtractsEverything() throws Exception {
        String list = run("bsdtar", "-tvf", iso.toString());
        assertContains(list, LONG60, LONG200, DEEP, "données-é.txt", "emptydir", "empty.txt", BIG);
        assertThat(list).containsPattern("-rwxr-xr-x .* run\\.sh");
        Path out = Files.createDirectories(tmp.resolve("bsdtar-out"));
        run("bsdtar", "-xpf", iso.toString(), "-C", out.toString());
        Fixtures.assertSameTree(src, out, true);
    }

    @Test
    void blkidShowsTheLabel() throws Exception {
        assertThat(run("blkid", "-p", "-o", "value", "-s", "LABEL", iso.toString()).strip()).isEqualTo("SHOAL-TASK");
        assertThat(run("blkid", "-p", "-o", "value", "-s", "TYPE", iso.toString()).strip()).isEqualTo("iso9660");
    }

    @Test
    void configDriveLabelReadsBackLowerCase() throws Exception {
        // cloud-init finds an OpenStack config drive by the filesystem label "config-2".
        Path cfg = tmp.resolve("config-2.iso");
        IsoWriter.builder().volumeId("config-2").timestamp(Fixtures.TIME)
            .file("openstack/latest/meta_data.json", "{}")
            .file("openstack/latest/user_data", "#cloud-config\n")
            .writeTo(cfg);
        assertThat(run("blkid", "-p", "-o", "value", "-s", "LABEL", cfg.toString()).strip()).isEqualTo("config-2");
        assertContains(run("isoinfo", "-d", "-i", cfg.toString()), "Volume id: config-2");
        assertContains(run("xorriso", "-indev", cfg.toString(), "-pvd_info"), "Volume Id    : config-2");
        try (IsoReader r = IsoReader.open(cfg)) {
            assertThat(r.volumeId()).isEqualTo("config-2");
            assertThat(new String(r.readAllBytes("openstack/latest/user_data"))).isEqualTo("#cloud-config\n");
        }
    }

    @Test
    void ourReaderReadsOurImage() throws Exception {
        try (IsoReader r = IsoReader.open(iso)) {
            assertThat(r.volumeId()).isEqualTo("SHOAL-TASK");
            assertThat(r.names()).isEqualTo(IsoReader.Names.ROCK_RIDGE);
            Map<String, Boolean> expected = Fixtures.list(src);
            assertThat(r.entries()).extracting(IsoEntry::path).containsExactlyElementsOf(expected.keySet());
            for (IsoEntry e : r.entries()) {
                assertThat(e.directory()).as(e.path()).isEqualTo(expected.get(e.path()));
                assertThat(e.mode()).as(e.path()).hasValue(modes.get(e.path()));
                if (!e.directory()) assertThat(e.size()).as(e.path()).isEqualTo(Files.size(src.resolve(e.path())));
                if (!e.directory() && !e.path().equals(BIG)) {
                    assertThat(r.readAllBytes(e.path())).as(e.path()).isEqualTo(Files.readAllBytes(src.resolve(e.path())));
                }
            }
            try (InputStream in = r.newInputStream(BIG); InputStream want = Files.newInputStream(src.resolve(BIG))) {
                assertThat(in).hasSameContentAs(want);
            }
        }
    }

    private static String symbolic(String typeAndOctal) {
        int mode = Integer.parseInt(typeAndOctal.substring(1), 8);
        StringBuilder s = new StringBuilder(typeAndOctal.substring(0, 1));
        for (int i = 8; i >= 0; i--) s.append((mode & (1 << i)) != 0 ? "rwx".charAt(2 - i % 3) : '-');
        return s.toString();
    }
}
