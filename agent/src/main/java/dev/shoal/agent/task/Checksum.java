package dev.shoal.agent.task;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** An image checksum as the job gives it: {@code sha256:<64 hex>} or {@code sha512:<128 hex>}, of the file as served. */
public record Checksum(String algorithm, String hex) {
    private static final Pattern FORM = Pattern.compile("(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})");

    public Checksum {
        if (!FORM.matcher(algorithm + ":" + hex).matches()) {
            throw new IllegalArgumentException("must be sha256:<64 hex digits> or sha512:<128 hex digits>");
        }
    }

    public static Checksum parse(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        int colon = t.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("must be sha256:<64 hex digits> or sha512:<128 hex digits>");
        }
        return new Checksum(t.substring(0, colon), t.substring(colon + 1));
    }

    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has both
        }
    }

    /** True if {@code digest} (raw bytes) is this checksum; constant time. */
    public boolean matches(byte[] digest) {
        return MessageDigest.isEqual(HexFormat.of().parseHex(hex), digest);
    }

    /** The same form for another digest value, for "expected ... got ..." messages. */
    public String format(byte[] digest) {
        return algorithm + ":" + HexFormat.of().formatHex(digest);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
