package dev.shoal.controller.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs Debian's own tools as test peers; a missing tool fails the test with the package to install. */
public final class DebianTools {
    private DebianTools() {
    }

    public record Result(int exit, String out, String err) {
    }

    public static Result run(String stdin, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is not installed (./run-tests installs the Debian packages the tests use)", e);
        }
        // both streams drain at once, so a chatty tool cannot block on a full pipe
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(List.of(command) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A bcrypt hash of {@code password} made by {@code htpasswd -B} (apache2-utils). */
    public static String htpasswdBcrypt(String password, int cost) throws IOException, InterruptedException {
        Result r = run(password + "\n", "htpasswd", "-niB", "-C", Integer.toString(cost), "admin");
        if (r.exit() != 0) {
            throw new AssertionError("htpasswd failed: " + r.err());
        }
        return r.out().strip().substring("admin:".length());
    }

    /** An argon2id PHC string of {@code password} made by Debian's {@code argon2} CLI. */
    public static String argon2id(String password, String salt) throws IOException, InterruptedException {
        Result r = run(password, "argon2", salt, "-id", "-t", "2", "-m", "12", "-p", "1", "-e");
        if (r.exit() != 0) {
            throw new AssertionError("argon2 failed: " + r.err());
        }
        return r.out().strip();
    }
}
