package dev.shoal.controller.media;

import dev.shoal.controller.secrets.Secret;
import dev.shoal.controller.testing.DebianTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UrlSignerTest {
    static final String JOB = "01890a5d-ac96-774b-bcce-b302099a8057";
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    final UrlSigner signer = new UrlSigner(Secret.of("test-signing-secret"));

    static String[] segments(String path) {
        return path.substring(TaskIsoPath.PREFIX.length()).split("/");
    }

    @Test
    void roundTrip() {
        Instant exp = NOW.plusSeconds(900);
        String path = signer.path(JOB, exp);
        assertThat(path).matches("/media/tasks/" + JOB + "/" + exp.getEpochSecond() + "/[A-Za-z0-9_-]{43}/task\\.iso");
        TaskIsoPath p = TaskIsoPath.parse(path).orElseThrow();
        assertThat(signer.verify(p.jobId(), p.expires(), p.signature(), NOW)).isEqualTo(UrlSigner.Verdict.VALID);
        assertThat(signer.verify(p.jobId(), p.expires(), p.signature(), exp)).isEqualTo(UrlSigner.Verdict.VALID);
        assertThat(p.toString()).doesNotContain(p.signature());
    }

    @Test
    void signatureIsTheDocumentedHmacAsOpensslComputesIt() throws Exception {
        // an independent implementation: DESIGN.md's formula through openssl, base64url without padding
        String path = signer.path(JOB, Instant.ofEpochSecond(1767226500));
        var r = DebianTools.run(null, "sh", "-c", "printf '%s\\n%s' '" + JOB + "' 1767226500"
                + " | openssl dgst -sha256 -hmac test-signing-secret -binary | base64 | tr '+/' '-_' | tr -d '=\\n'");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(segments(path)[2]).isEqualTo(r.out());
    }

    @Test
    void tamperedSegmentsAreRefused() {
        String[] s = segments(signer.path(JOB, NOW.plusSeconds(900)));
        String otherJob = "01890a5d-ac96-774b-bcce-b302099a8058";
        assertThat(signer.verify(otherJob, s[1], s[2], NOW)).isEqualTo(UrlSigner.Verdict.BAD_SIGNATURE);
        assertThat(signer.verify(s[0], Long.toString(Long.parseLong(s[1]) + 1), s[2], NOW)).isEqualTo(UrlSigner.Verdict.BAD_SIGNATURE);
        char c = s[2].charAt(10);
        String flipped = s[2].substring(0, 10) + (c == 'A' ? 'B' : 'A') + s[2].substring(11);
        assertThat(signer.verify(s[0], s[1], flipped, NOW)).isEqualTo(UrlSigner.Verdict.BAD_SIGNATURE);
        assertThat(new UrlSigner(Secret.of("another-secret")).verify(s[0], s[1], s[2], NOW))
                .isEqualTo(UrlSigner.Verdict.BAD_SIGNATURE);
    }

    @Test
    void expiredOnlyAfterTheExpirySecond() {
        Instant exp = NOW.plusSeconds(60);
        String[] s = segments(signer.path(JOB, exp));
        assertThat(signer.verify(s[0], s[1], s[2], exp.plusSeconds(1))).isEqualTo(UrlSigner.Verdict.EXPIRED);
        assertThat(signer.verify(s[0], s[1], s[2], exp.plusMillis(999))).isEqualTo(UrlSigner.Verdict.VALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "", "/etc", "%2e%2e", "..%2f..", "01890A5D-AC96-774B-BCCE-B302099A8057",
            "01890a5d-ac96-774b-bcce-b302099a8057/..", "../01890a5d-ac96-774b-bcce-b302099a805"})
    void malformedJobIds(String job) {
        String[] s = segments(signer.path(JOB, NOW.plusSeconds(60)));
        assertThat(signer.verify(job, s[1], s[2], NOW)).isEqualTo(UrlSigner.Verdict.MALFORMED);
        assertThatThrownBy(() -> signer.path(job, NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "", "-1", "+5", "0123", "1e9", "12345678901234", "/1"})
    void malformedExpiries(String expires) {
        String[] s = segments(signer.path(JOB, NOW.plusSeconds(60)));
        assertThat(signer.verify(JOB, expires, s[2], NOW)).isEqualTo(UrlSigner.Verdict.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "", "abc", "/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void malformedSignatures(String sig) {
        assertThat(signer.verify(JOB, "1767226500", sig, NOW)).isEqualTo(UrlSigner.Verdict.MALFORMED);
    }

    @Test
    void parseRejectsTraversalAndOtherShapes() {
        String good = signer.path(JOB, NOW);
        assertThat(TaskIsoPath.parse(good)).isPresent();
        assertThat(TaskIsoPath.parse(good.replace("task.iso", "../task.iso"))).isEmpty();
        assertThat(TaskIsoPath.parse(good.replace("task.iso", "other.iso"))).isEmpty();
        assertThat(TaskIsoPath.parse(good + "/")).isEmpty();
        assertThat(TaskIsoPath.parse(good.replace("/media/tasks/", "/media/tasks//"))).isEmpty();
        assertThat(TaskIsoPath.parse("/media/tasks/../../etc/passwd")).isEmpty();
        assertThat(TaskIsoPath.parse(null)).isEmpty();
    }

    @Test
    void urlKeepsTheBasePrefix() {
        Instant exp = NOW.plusSeconds(60);
        assertThat(signer.url(URI.create("https://c.example.org"), JOB, exp).toString())
                .isEqualTo("https://c.example.org" + signer.path(JOB, exp));
        assertThat(signer.url(URI.create("https://c.example.org/shoal/"), JOB, exp).toString())
                .isEqualTo("https://c.example.org/shoal" + signer.path(JOB, exp));
        assertThatThrownBy(() -> signer.url(URI.create("https://c.example.org/?a=b"), JOB, exp))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.url(URI.create("/relative"), JOB, exp)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UrlSigner(Secret.of(""))).isInstanceOf(IllegalArgumentException.class);
        assertThat(signer.toString()).doesNotContain("test-signing-secret");
    }
}
