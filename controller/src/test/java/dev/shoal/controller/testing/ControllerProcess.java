package dev.shoal.controller.testing;

import dev.shoal.controller.config.ConfigKey;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The controller as its own OS process, started the way the launcher starts it (java ... Main), for what
 * only a process shows: signals, exit codes, everything it writes to stdout and stderr.
 */
public final class ControllerProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("\"msg\":\"shoal-controller listening\",\"url\":\"([^\"]+)\"");

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private URI baseUri;

    private ControllerProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code shoal-controller ARGS} in {@code workDir} with exactly {@code env} for Shoal's keys (any
     * inherited Shoal variables are removed), output captured to files in {@code workDir}.
     */
    public static ControllerProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", cp, "dev.shoal.controller.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        for (ConfigKey k : ConfigKey.values()) {
            pb.environment().remove(k.name());
        }
        pb.environment().putAll(env);
        Path out = workDir.resolve("controller.stdout");
        Path err = workDir.resolve("controller.stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        return new ControllerProcess(pb.start(), out, err);
    }

    /** Waits for the "listening" log line and returns the base URL it names. */
    public URI awaitListening(Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Matcher m = URL.matcher(stdout());
            if (m.find()) {
                baseUri = URI.create(m.group(1));
                return baseUri;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("controller exited with " + process.exitValue() + " before listening; stderr: "
                        + stderr() + "\nstdout: " + stdout());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("controller did not listen within " + timeout + "; stderr: " + stderr());
    }

    public URI uri(String path) {
        return baseUri.resolve(path);
    }

    public Process process() {
        return process;
    }

    /** SIGTERM, as systemd stops a service; returns the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("controller did not stop within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("controller did not exit within " + timeout);
        }
        return process.exitValue();
    }

    public String stdout() throws IOException {
        return Files.exists(stdout) ? Files.readString(stdout, StandardCharsets.UTF_8) : "";
    }

    public String stderr() throws IOException {
        return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
