package dev.shoal.registry.digest;

import java.util.HexFormat;

/**
 * A content digest {@code algorithm:hex}. Only the registered algorithms with lower-case hex of the exact length
 * are accepted: the hex becomes a file name in storage, so it must never hold anything but {@code [0-9a-f]}.
 */
public record Digest(DigestAlgorithm algorithm, String hex) {
    private static final HexFormat HEX = HexFormat.of();

    public Digest {
        if (algorithm == null) {
            throw new InvalidDigestException("digest algorithm is missing");
        }
        if (hex == null || hex.length() != algorithm.hexLength()) {
            throw new InvalidDigestException(algorithm.id() + " digest must have " + algorithm.hexLength()
                    + " hex characters, got " + (hex == null ? 0 : hex.length()));
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new InvalidDigestException(algorithm.id() + " digest must be lower-case hex, found '" + c + "'");
            }
        }
    }

    /** Parses {@code sha256:abc...}; throws {@link InvalidDigestException} with a message fit for a client. */
    public static Digest parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new InvalidDigestException("digest is empty");
        }
        int colon = s.indexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new InvalidDigestException("digest must be algorithm:hex, got '" + abbreviate(s) + "'");
        }
        String alg = s.substring(0, colon);
        DigestAlgorithm algorithm = DigestAlgorithm.byId(alg).orElseThrow(
                () -> new InvalidDigestException("unsupported digest algorithm '" + abbreviate(alg)
                        + "'; supported: sha256, sha512"));
        return new Digest(algorithm, s.substring(colon + 1));
    }

    /** True if {@code s} looks like a digest at all (has a colon); tags never do, so this tells references apart. */
    public static boolean looksLikeDigest(String s) {
        return s.indexOf(':') >= 0;
    }

    public static Digest of(DigestAlgorithm algorithm, byte[] content) {
        return new Digest(algorithm, HEX.formatHex(algorithm.newMessageDigest().digest(content)));
    }

    static Digest fromBytes(DigestAlgorithm algorithm, byte[] raw) {
        return new Digest(algorithm, HEX.formatHex(raw));
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    @Override
    public String toString() {
        return algorithm.id() + ":" + hex;
    }
}
