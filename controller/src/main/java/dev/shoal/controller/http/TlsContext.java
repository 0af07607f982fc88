package dev.shoal.controller.http;

import dev.shoal.controller.config.ConfigException;
import dev.shoal.controller.config.ControllerConfig.TlsFiles;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Builds Jetty's TLS context from the PEM files operators have (TLS_CERT_FILE, TLS_KEY_FILE), by way of
 * an in-memory PKCS#12 store. SNI host checks are off: BMCs and agents often connect by IP address.
 */
public final class TlsContext {
    private static final char[] IN_MEMORY = "in-memory".toCharArray();

    private TlsContext() {
    }

    public static SslContextFactory.Server from(TlsFiles files) {
        Collection<? extends Certificate> chain;
        try (InputStream in = Files.newInputStream(files.certFile())) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (Exception e) {
            throw new ConfigException("TLS_CERT_FILE", files.certFile() + " is not a PEM certificate: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new ConfigException("TLS_CERT_FILE", files.certFile() + " holds no certificate");
        }
        PrivateKey key = privateKey(files);
        if (!matches(key, chain.iterator().next().getPublicKey())) {
            throw new ConfigException("TLS_KEY_FILE", files.keyFile() + " is not the private key of the first certificate in "
                    + files.certFile());
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("shoal", key, IN_MEMORY, chain.toArray(Certificate[]::new));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(ks);
            ssl.setKeyStorePassword(new String(IN_MEMORY));
            ssl.setSniRequired(false);
            return ssl;
        } catch (Exception e) {
            throw new ConfigException("TLS_KEY_FILE", "does not match TLS_CERT_FILE: " + e.getMessage());
        }
    }

    /** A key store takes any key with any chain; a mismatch would only show as failed handshakes later. */
    private static boolean matches(PrivateKey key, java.security.PublicKey certKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(certKey.getAlgorithm())) {
            return algorithm == null; // unknown algorithm: let the TLS stack judge it
        }
        try {
            byte[] probe = "shoal-tls-key-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.security.Signature sign = java.security.Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] sig = sign.sign();
            java.security.Signature verify = java.security.Signature.getInstance(algorithm);
            verify.initVerify(certKey);
            verify.update(probe);
            return verify.verify(sig);
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static PrivateKey privateKey(TlsFiles files) {
        try (Reader r = Files.newBufferedReader(files.keyFile()); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return conv.getKeyPair(pair).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return conv.getPrivateKey(info);
            }
            throw new ConfigException("TLS_KEY_FILE", files.keyFile()
                    + " holds no unencrypted PEM private key (PKCS#1, PKCS#8 or SEC1)");
        } catch (IOException e) {
            throw new ConfigException("TLS_KEY_FILE", "cannot read " + files.keyFile() + ": " + e.getMessage());
        }
    }
}
