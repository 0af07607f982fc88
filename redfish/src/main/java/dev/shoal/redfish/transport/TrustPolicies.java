package dev.shoal.redfish.transport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * SSL contexts for {@link TlsPolicy}. The insecure and pinned managers extend X509ExtendedTrustManager:
 * a plain X509TrustManager would still have the JDK check the host name, which BMCs reached by IP fail.
 */
final class TrustPolicies {
    private TrustPolicies() {
    }

    static SSLContext sslContext(TlsPolicy policy) {
        try {
            if (policy.mode() == TlsPolicy.Mode.VERIFY) {
                return SSLContext.getDefault();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new Accepting(policy)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available", e);
        }
    }

    private static final class Accepting extends X509ExtendedTrustManager {
        private final TlsPolicy policy;

        Accepting(TlsPolicy policy) {
            this.policy = policy;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (policy.mode() != TlsPolicy.Mode.PINNED) {
                return;
            }
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the BMC presented no certificate");
            }
            try {
                byte[] got = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
                byte[] want = HexFormat.of().parseHex(policy.sha256Fingerprint().orElseThrow());
                if (!MessageDigest.isEqual(got, want)) {
                    throw new CertificateException("the BMC's certificate has SHA-256 fingerprint "
                            + HexFormat.ofDelimiter(":").withUpperCase().formatHex(got) + ", not the pinned one");
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
