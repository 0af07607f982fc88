package dev.shoal.controller.media;

import dev.shoal.controller.cli.Cli;
import dev.shoal.controller.secrets.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shoal-controller sign-url} through the real command line. */
class SignUrlCliTest {
    static final String JOB = "01890a5d-ac96-774b-bcce-b302099a8057";
    static final String SECRET = "sign-url-cli-test-secret-0123456789abcdef";

    @TempDir
    Path root;

    record Run(int exit, String out, String err) {
    }

    Run run(Map<String, String> env, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), env);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Map<String, String> env() {
        return Map.of("SHOAL_MODE", "local", "STORAGE_ROOT", root.toString(), "SIGNED_URL_SECRET", SECRET,
                "CONTROLLER_HTTP_ADDR", "127.0.0.1:9911");
    }

    @Test
    void isListedInHelp() {
        assertThat(run(Map.of(), "--help").out()).contains("sign-url");
    }

    @Test
    void printsAVerifiableShortLivedUrl() {
        Instant before = Instant.now();
        Run r = run(env(), "sign-url", "--ttl", "10m", JOB);
        assertThat(r.exit()).as(r.err()).isZero();
        String url = r.out().strip();
        assertThat(url).startsWith("http://127.0.0.1:9911/media/tasks/" + JOB + "/").endsWith("/task.iso");
        TaskIsoPath p = TaskIsoPath.parse(url.substring("http://127.0.0.1:9911".length())).orElseThrow();
        long expires = Long.parseLong(p.expires());
        assertThat(expires).isBetween(before.getEpochSecond() + 599, Instant.now().getEpochSecond() + 600);
        assertThat(new UrlSigner(Secret.of(SECRET)).verify(p.jobId(), p.expires(), p.signature(), Instant.now()))
                .isEqualTo(UrlSigner.Verdict.VALID);
        assertThat(r.err()).contains("valid until");
    }

    @Test
    void baseUrlFlag() {
        Run r = run(env(), "sign-url", "--base-url", "https://controller.example.org/", JOB);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("https://controller.example.org/media/tasks/" + JOB + "/");
    }

    @Test
    void localModeUsesTheGeneratedSecret() throws Exception {
        Files.createDirectories(root.resolve("keys"));
        Files.writeString(root.resolve("keys/signed-url.secret"), SECRET + "\n");
        Run r = run(Map.of("SHOAL_MODE", "local", "STORAGE_ROOT", root.toString()), "sign-url", JOB);
        assertThat(r.exit()).as(r.err()).isZero();
        TaskIsoPath p = TaskIsoPath.parse(r.out().strip().replaceFirst("^http://[^/]+", "")).orElseThrow();
        assertThat(new UrlSigner(Secret.of(SECRET)).verify(p.jobId(), p.expires(), p.signature(), Instant.now()))
                .isEqualTo(UrlSigner.Verdict.VALID);
    }

    @Test
    void refusesBadInput() {
        assertThat(run(env(), "sign-url", "../etc").exit()).isEqualTo(2);
        assertThat(run(env(), "sign-url", "--ttl", "0s", JOB).exit()).isEqualTo(2);
        assertThat(run(env(), "sign-url", "--ttl", "forever", JOB).exit()).isEqualTo(2);
        assertThat(run(env(), "sign-url", "--base-url", "https://x/?q=1", JOB).exit()).isEqualTo(2);
        Run noSecret = run(Map.of("SHOAL_MODE", "local", "STORAGE_ROOT", root.toString()), "sign-url", JOB);
        assertThat(noSecret.exit()).isEqualTo(1);
        assertThat(noSecret.err()).contains("SIGNED_URL_SECRET");
    }
}
