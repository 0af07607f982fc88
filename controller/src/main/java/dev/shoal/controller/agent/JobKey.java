package dev.shoal.controller.agent;

import dev.shoal.controller.secrets.Secret;

import java.util.HexFormat;

/**
 * One job's callback signing key: 32 raw bytes. It travels in the job's task ISO as lowercase hex
 * ({@link #hex()}); the agent hex-decodes it and uses the 32 bytes, not the hex text, as its HMAC key.
 * Hex because the signature in {@code X-Shoal-Signature} is hex too, so an agent needs one encoding only.
 * {@code toString} is a mask, so a key in a log line or exception message leaks nothing.
 */
public record JobKey(byte[] bytes) {
    public static final int LENGTH = 32;

    public JobKey {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a job key is " + LENGTH + " bytes, not " + bytes.length);
        }
        bytes = bytes.clone(); // immutable: nobody can change a key another thread signs with
    }

    public static JobKey fromHex(String hex) {
        return new JobKey(HexFormat.of().parseHex(hex));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The form written into task.json. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobKey k && java.security.MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return 0; // as Secret: equal keys hash alike, and the hash reveals nothing
    }

    @Override
    public String toString() {
        return Secret.MASK;
    }
}
