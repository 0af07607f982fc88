package dev.shoal.bmcsim;

import dev.shoal.bmcsim.http.Json;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.bmcsim.support.Http;
import org.junit.jupiter.api.Test;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTPS BMCs with a self-signed certificate made in memory; the admin endpoint stays plain HTTP. */
class TlsTest {
    @Test
    void bmcsSpeakHttpsWithAVerifiableSelfSignedCertificate() throws Exception {
        try (BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(BmcSpec.of("tls", Personality.GENERIC)).withTls(true))) {
            SimulatedBmc bmc = sim.bmc("tls");
            assertThat(bmc.baseUri().getScheme()).isEqualTo("https");
            assertThat(sim.adminUri().getScheme()).isEqualTo("http");
            assertThat(Http.to(bmc.baseUri()).get("/redfish/v1/").status()).isEqualTo(200);
            assertThat(Http.to(bmc.baseUri()).basic(bmc.credentials())
                    .post("/redfish/v1/Systems/437XR1138R2/Actions/ComputerSystem.Reset", Json.object().put("ResetType", "On")).status()).isEqualTo(204);

            // a client that pins the simulator's certificate verifies it, host name included
            X509Certificate cert = sim.certificate().orElseThrow();
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("sim", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpsURLConnection c = (HttpsURLConnection) URI.create(bmc.baseUri() + "/redfish/v1/").toURL().openConnection();
            c.setSSLSocketFactory(ctx.getSocketFactory());
            assertThat(c.getResponseCode()).isEqualTo(200);
            c.disconnect();
        }
    }
}
