package dev.shoal.redfish.transport;

import java.util.Locale;
import java.util.Optional;

/**
 * How a BMC's certificate is checked: the system trust store (the default), not at all (BMCs ship
 * self-signed certificates; the operator says so per BMC), or pinned to one certificate's SHA-256.
 */
public record TlsPolicy(Mode mode, Optional<String> sha256Fingerprint) {
    public enum Mode { VERIFY, INSECURE, PINNED }

    public static final TlsPolicy VERIFY = new TlsPolicy(Mode.VERIFY, Optional.empty());
    public static final TlsPolicy INSECURE = new TlsPolicy(Mode.INSECURE, Optional.empty());

    /** {@code AB:CD:...} or plain hex, as {@code openssl x509 -fingerprint -sha256} prints it. */
    public static TlsPolicy pinned(String fingerprint) {
        String hex = fingerprint.replace(":", "").strip().toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a SHA-256 certificate fingerprint is 64 hex digits (colons allowed)");
        }
        return new TlsPolicy(Mode.PINNED, Optional.of(hex));
    }
}
