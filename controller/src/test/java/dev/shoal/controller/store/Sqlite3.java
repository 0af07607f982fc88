package dev.shoal.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Debian's {@code sqlite3} CLI as a real, separate peer on a database file: what an operator would open. */
public final class Sqlite3 {
    private static final long TIMEOUT_SECONDS = 30;

    private Sqlite3() {
    }

    public record Result(int exit, String out, String err) {
        public List<String> lines() {
            return out.lines().toList();
        }
    }

    /** Runs {@code sqlite3 FILE SQL}, waiting up to 10 s for locks held by the controller. */
    public static Result run(Path db, String sql) {
        ProcessBuilder pb = new ProcessBuilder("sqlite3", "-batch", "-cmd", ".timeout 10000", db.toString(), sql)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("sqlite3 " + db + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run sqlite3 (Debian package sqlite3)", e);
        } catch (Exception e) {
            throw new AssertionError("sqlite3 failed to run", e);
        }
    }

    /** Like {@link #run} but the command must succeed; returns its output lines. */
    public static List<String> query(Path db, String sql) {
        Result r = run(db, sql);
        assertThat(r.exit()).as("sqlite3 exit code for %s (stderr: %s)", sql, r.err()).isZero();
        return r.lines();
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
