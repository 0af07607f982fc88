package dev.shoal.agent.configdrive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Test helpers: real Debian tools (a missing one fails naming its package, never skips) and disk files built with
 * sfdisk itself. Everything is read in ranges or hashed: the test JVM has a 48 MB heap.
 */
public final class Disks {
    public static final int MIB = 1 << 20;
    private static final Pattern DUMP_LINE = Pattern.compile("^(\\S+) : start=\\s*(\\d+), size=\\s*(\\d+), type=([^,\\s]+)(.*)$");

    private Disks() {
    }

    /** A partition line of {@code sfdisk --dump}. */
    public record Dumped(String node, long start, long size, String type, String rest) {
    }

    public static String tool(String name, String debianPackage) {
        for (String dir : (System.getenv("PATH") + ":/usr/sbin:/sbin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return fail(name + " is missing: apt-get install " + debianPackage);
    }

    public static Sfdisk sfdisk() {
        return new Sfdisk(java.util.Optional.of(Path.of(tool("sfdisk", "fdisk"))));
    }

    /** Runs a command, asserts exit 0, returns stdout. */
    public static String run(String stdin, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), out).isZero();
        return out;
    }

    /** A {@code bytes}-long file (sparse zeros) partitioned by an sfdisk {@code script}. */
    public static Path partitioned(Path file, long bytes, String script) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.truncate(bytes);
            ch.write(ByteBuffer.allocate(1), bytes - 1);
        }
        run(script, tool("sfdisk", "fdisk"), "-q", "--no-reread", file.toString());
        return file;
    }

    /** Fills [offset, offset+length) with seeded random bytes, as if a filesystem were there. */
    public static void fill(Path file, long offset, long length, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] chunk = new byte[MIB];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long pos = offset; pos < offset + length; ) {
                r.nextBytes(chunk);
                int n = (int) Math.min(chunk.length, offset + length - pos);
                pos += ch.write(ByteBuffer.wrap(chunk, 0, n), pos);
            }
        }
    }

    public static String sha256(Path file, long offset, long length) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        ByteBuffer buf = ByteBuffer.allocate(MIB);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (long pos = offset; pos < offset + length; ) {
                buf.clear().limit((int) Math.min(MIB, offset + length - pos));
                int n = ch.read(buf, pos);
                assertThat(n).isPositive();
                pos += n;
                d.update(buf.flip());
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** dd if=disk of=target skip=offset count=length, in bytes. */
    public static Path extract(Path disk, long offset, long length, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(disk, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long pos = offset; pos < offset + length; ) {
                pos += in.transferTo(pos, offset + length - pos, out);
            }
        }
        return target;
    }

    public static String dump(Path disk) throws Exception {
        return run("", tool("sfdisk", "fdisk"), "--dump", disk.toString());
    }

    public static List<Dumped> partitions(String dump) {
        List<Dumped> out = new ArrayList<>();
        for (String line : dump.split("\n")) {
            Matcher m = DUMP_LINE.matcher(line.strip());
            if (m.matches()) {
                out.add(new Dumped(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), m.group(4), m.group(5)));
            }
        }
        return out;
    }

    /** A header value of {@code sfdisk --dump} (e.g. last-lba), or null. */
    public static String header(String dump, String key) {
        for (String line : dump.split("\n")) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).strip();
            }
        }
        return null;
    }

    /** blkid -p -O OFFSET -o value -s TAG disk: probes the bytes at the offset as a filesystem. */
    public static String probe(Path disk, long offset, String tag) throws Exception {
        return run("", tool("blkid", "util-linux"), "-p", "-O", Long.toString(offset), "-o", "value", "-s", tag,
                disk.toString()).strip();
    }

    public static String isoFile(Path iso, String path) throws Exception {
        return run("", tool("isoinfo", "genisoimage"), "-R", "-i", iso.toString(), "-x", path);
    }
}
