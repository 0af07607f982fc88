package dev.shoal.controller.http;

import dev.shoal.controller.config.ConfigException;
import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.testing.DebianTools;
import dev.shoal.controller.testing.TestController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS_CERT_FILE/TLS_KEY_FILE with PEM files as openssl writes them. */
class TlsTest {

    static void openssl(Path dir, String keyAlgorithm) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509"));
        cmd.addAll(keyAlgorithm.equals("rsa") ? List.of("-newkey", "rsa:2048")
                : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
        cmd.addAll(List.of("-nodes", "-days", "2", "-subj", "/CN=shoal-test",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString()));
        var r = DebianTools.run(null, cmd.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
    }

    static HttpClient trusting(Path cert) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            ts.setCertificateEntry("shoal", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ec"})
    void servesHttpsFromPemFiles(String algorithm, @TempDir Path dir) throws Exception {
        openssl(dir, algorithm);
        try (TestController c = TestController.local(dir.resolve("data"), Map.of(
                ConfigKey.TLS_CERT_FILE, dir.resolve("cert.pem").toString(),
                ConfigKey.TLS_KEY_FILE, dir.resolve("key.pem").toString()))) {
            assertThat(c.uri("/").getScheme()).isEqualTo("https");
            HttpResponse<String> r = trusting(dir.resolve("cert.pem")).send(HttpRequest.newBuilder(c.uri("/api/v1/jobs"))
                    .header("Authorization", c.authorization()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Strict-Transport-Security")).isPresent();
            var curl = DebianTools.run(null, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert",
                    dir.resolve("cert.pem").toString(), c.uri("/healthz").toString());
            assertThat(curl.out()).isEqualTo("200");
            var plain = DebianTools.run(null, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://127.0.0.1:" + c.app().port() + "/healthz");
            assertThat(plain.out()).as("plain HTTP on the TLS port gets no 200").isNotEqualTo("200");
        }
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateStopsStartUpNamingTheKey(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        openssl(a, "rsa");
        openssl(b, "rsa");
        assertThatThrownBy(() -> TestController.local(dir.resolve("data"), Map.of(
                ConfigKey.TLS_CERT_FILE, a.resolve("cert.pem").toString(),
                ConfigKey.TLS_KEY_FILE, b.resolve("key.pem").toString())).close())
                .isInstanceOf(ConfigException.class).hasMessageContaining("TLS_KEY_FILE");
        Files.writeString(b.resolve("cert.pem"), "not a certificate");
        assertThatThrownBy(() -> TestController.local(dir.resolve("data"), Map.of(
                ConfigKey.TLS_CERT_FILE, b.resolve("cert.pem").toString(),
                ConfigKey.TLS_KEY_FILE, b.resolve("key.pem").toString())).close())
                .isInstanceOf(ConfigException.class).hasMessageContaining("TLS_CERT_FILE");
    }
}
