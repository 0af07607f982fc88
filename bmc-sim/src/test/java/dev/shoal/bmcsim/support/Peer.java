package dev.shoal.bmcsim.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real Redfish client (Debian's python3-sushy, DMTF's redfishtool) as a process. A missing peer
 * fails the test with the package to install; it never skips, so CI cannot go green without the interop run.
 */
public final class Peer {
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    public record Result(int exit, String stdout, String stderr) {
        public List<String> lines() {
            return stdout.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private Peer() {
    }

    /** Fails (AssertionError) naming the Debian package when the peer is not installed. */
    public static void require(String pkg, Path executable, String... probe) {
        if (!Files.isExecutable(executable)) {
            throw new AssertionError(executable + " is missing: install the Debian package " + pkg + " (apt-get install -y " + pkg + ")");
        }
        if (probe.length > 0) {
            Result r = run(Duration.ofSeconds(30), List.of(probe));
            if (r.exit() != 0) {
                throw new AssertionError(pkg + " is not usable (apt-get install -y " + pkg + "): " + r);
            }
        }
    }

    public static Result run(Duration timeout, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        // Clients must reach 127.0.0.1 directly, whatever proxy the CI machine sets.
        for (String k : List.copyOf(env.keySet())) {
            if (k.toLowerCase(java.util.Locale.ROOT).endsWith("_proxy")) {
                env.remove(k);
            }
        }
        env.put("NO_PROXY", "*");
        env.put("no_proxy", "*");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread o = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
            Thread e = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                o.join(2000);
                e.join(2000);
                throw new AssertionError(command + " did not finish within " + timeout + "\n--- stdout\n" + out.toString(StandardCharsets.UTF_8)
                        + "\n--- stderr\n" + err.toString(StandardCharsets.UTF_8));
            }
            o.join(5000);
            e.join(5000);
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new AssertionError("cannot run " + command + ": " + ex, ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process died; what was read is enough for the report
        }
    }

    /** Copies a class-path resource to a temp file (scripts must be files for python). */
    public static Path resource(String name, Path dir) throws IOException {
        try (InputStream in = Peer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            Path p = dir.resolve(Path.of(name).getFileName().toString());
            Files.write(p, in.readAllBytes());
            return p;
        }
    }

    public static List<String> list(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
