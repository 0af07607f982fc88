package dev.shoal.iso;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A source tree on disk with the awkward cases (long, deep, non-ASCII, colliding and empty names, a 20 MB file),
 * and an ISO of it written by us. The same tree feeds xorriso when we test our reader against xorriso's images.
 */
final class Fixtures {
    static final Instant TIME = Instant.parse("2026-11-01T12:00:00Z");
    static final String LONG60 = "long-name-" + "n".repeat(45) + ".json"; // 60 characters
    static final String LONG200 = "x".repeat(196) + ".txt";
    static final String DEEP = "d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/deep.txt";
    static final String BIG = "images/big.bin";
    static final int BIG_SIZE = 20 * 1024 * 1024 + 123;

    private Fixtures() {}

    /** Path to mode of every file and directory of the tree (directories 0755). */
    static Map<String, Integer> createSource(Path src) throws IOException {
        Map<String, Integer> modes = new TreeMap<>();
        write(src, modes, "task.json", "{\"job\":\"j-1\",\"token\":\"secret\"}\n", 0644);
        write(src, modes, "openstack/latest/meta_data.json", "{\"uuid\":\"83679162-1378-4288-a2d4-70e13ec132aa\"}\n", 0644);
        write(src, modes, "openstack/latest/user_data", "#cloud-config\n", 0644);
        write(src, modes, "empty.txt", "", 0644);
        write(src, modes, "run.sh", "#!/bin/sh\necho hi\n", 0755);
        write(src, modes, LONG60, "sixty\n", 0644);
        write(src, modes, LONG200, "two hundred\n", 0600);
        write(src, modes, DEEP, "deep\n", 0644);
        write(src, modes, "données-é.txt", "utf-8 name\n", 0644);
        write(src, modes, "collision-aaa-1.txt", "one\n", 0644);
        write(src, modes, "collision-aaa-2.txt", "two\n", 0644);
        Files.createDirectories(src.resolve("emptydir"));
        Path big = src.resolve(BIG);
        Files.createDirectories(big.getParent());
        Random rnd = new Random(42);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int left = BIG_SIZE; left > 0; left -= buf.length) {
                rnd.nextBytes(buf);
                out.write(buf, 0, Math.min(left, buf.length));
            }
        }
        modes.put(BIG, 0644);
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.filter(Files::isDirectory).filter(p -> !p.equals(src)).toList()) {
                Files.setPosixFilePermissions(p, perms(0755));
                modes.put(rel(src, p), 0755);
            }
        }
        return modes;
    }

    private static void write(Path src, Map<String, Integer> modes, String path, String content, int mode) throws IOException {
        Path p = src.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, perms(mode));
        modes.put(path, mode);
    }

    /** Our image of the source tree: small files from memory, the big one streamed from its path. */
    static IsoWriter.Builder builderFor(Path src, Map<String, Integer> modes) throws IOException {
        IsoWriter.Builder b = IsoWriter.builder().volumeId("SHOAL-TASK").timestamp(TIME);
        for (var e : modes.entrySet()) {
            Path p = src.resolve(e.getKey());
            if (Files.isDirectory(p)) b.directory(e.getKey(), e.getValue());
            else if (e.getKey().equals(BIG)) b.file(e.getKey(), p, e.getValue());
            else b.file(e.getKey(), Files.readAllBytes(p), e.getValue());
        }
        return b;
    }

    /** Every file and directory of {@code actual} matches {@code expected}: same set of paths, bytes and (optionally) modes. */
    static void assertSameTree(Path expected, Path actual, boolean modes) throws IOException {
        assertThat(list(actual)).as("paths under " + actual).isEqualTo(list(expected));
        for (String rel : list(expected).keySet()) {
            Path e = expected.resolve(rel);
            Path a = actual.resolve(rel);
            if (Files.isRegularFile(e)) {
                assertThat(Files.mismatch(e, a)).as("content of " + rel).isEqualTo(-1L);
            }
            if (modes) {
                assertThat(Files.getPosixFilePermissions(a)).as("mode of " + rel).isEqualTo(Files.getPosixFilePermissions(e));
            }
        }
    }

    static Map<String, Boolean> list(Path root) throws IOException {
        Map<String, Boolean> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).forEach(p -> out.put(rel(root, p), Files.isDirectory(p)));
        }
        return out;
    }

    static String rel(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    static Set<PosixFilePermission> perms(int mode) {
        StringBuilder s = new StringBuilder();
        String rwx = "rwx";
        for (int i = 8; i >= 0; i--) s.append((mode & (1 << i)) != 0 ? rwx.charAt(2 - i % 3) : '-');
        return PosixFilePermissions.fromString(s.toString());
    }
}
