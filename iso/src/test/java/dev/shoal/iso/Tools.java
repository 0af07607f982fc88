package dev.shoal.iso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real Debian tools our images must satisfy. A missing tool fails the test (never skips it) and names the
 * package to install, because a silently skipped interoperability test proves nothing.
 */
final class Tools {
    private static final Map<String, String> PACKAGES = Map.of(
        "xorriso", "xorriso", "isoinfo", "genisoimage", "bsdtar", "libarchive-tools", "blkid", "util-linux");

    record Result(int exit, String out, String err) {}

    private Tools() {}

    /** Runs the command, fails the test on a non-zero exit, and returns stdout. */
    static String run(String... cmd) throws IOException, InterruptedException {
        Result r = exec(cmd);
        if (r.exit() != 0) fail(String.join(" ", cmd) + " exited " + r.exit() + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        return r.out();
    }

    static Result exec(String... cmd) throws IOException, InterruptedException {
        return exec(StandardCharsets.UTF_8, cmd);
    }

    /** isoinfo cannot print Joliet names as UTF-8 (only as one of its 8-bit charsets). */
    static String runLatin1(String... cmd) throws IOException, InterruptedException {
        Result r = exec(StandardCharsets.ISO_8859_1, cmd);
        if (r.exit() != 0) fail(String.join(" ", cmd) + " exited " + r.exit() + "\nstderr: " + r.err());
        return r.out();
    }

    static Result exec(java.nio.charset.Charset cs, String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(cmd));
        c.set(0, locate(cmd[0]).toString());
        Path err = Files.createTempFile("tool", ".err");
        Path out = Files.createTempFile("tool", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(c);
            pb.environment().put("LC_ALL", "C.UTF-8"); // tools print non-ASCII names in the locale's charset
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " did not finish within 60 s");
            }
            // Lenient decoding: a tool printing a name in another charset must fail an assertion, not crash the test.
            return new Result(p.exitValue(), new String(Files.readAllBytes(out), cs),
                new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** blkid lives in /usr/sbin, which is not on every PATH. */
    static Path locate(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) return p;
        }
        String pkg = PACKAGES.getOrDefault(tool, tool);
        return fail(tool + " not found: install the Debian package '" + pkg + "' (apt-get install -y " + pkg + ")");
    }

    static void assertContains(String haystack, String... needles) {
        for (String n : needles) assertThat(haystack).as("tool output").contains(n);
    }
}
