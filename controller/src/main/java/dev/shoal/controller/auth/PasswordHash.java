package dev.shoal.controller.auth;

/**
 * A stored password hash, as an operator writes it into Shoal's configuration
 * ({@code htpasswd -nB}, {@code argon2 <salt> -id -e}) or as {@link PasswordHasher} makes it.
 *
 * <p>Error messages and {@link #toString()} never contain the hash text or any part of it,
 * because they end up in start-up errors and logs.
 */
public sealed interface PasswordHash permits BcryptHash, Argon2idHash {

    /**
     * Parses a bcrypt ({@code $2y$}, {@code $2b$}, {@code $2a$}) or argon2id PHC hash.
     *
     * @throws IllegalArgumentException saying what is wrong, without quoting the input
     */
    static PasswordHash parse(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalArgumentException("password hash is empty");
        }
        // Hashes are often read from files or environment variables with a trailing newline.
        String s = encoded.strip();
        if (s.startsWith("$2")) {
            return BcryptHash.parse(s);
        }
        if (s.startsWith("$argon2")) {
            return Argon2idHash.parse(s);
        }
        throw new IllegalArgumentException(
                "not a bcrypt ($2y$/$2b$/$2a$) or argon2id PHC hash (htpasswd needs -B to make bcrypt)");
    }

    /** Whether the password (hashed as its UTF-8 bytes) matches, compared in constant time. */
    default boolean matches(char[] password) {
        java.util.Objects.requireNonNull(password, "password");
        byte[] bytes;
        try {
            bytes = PasswordHasher.utf8(password);
        } catch (IllegalArgumentException e) {
            return false; // no tool can have hashed a lone surrogate
        }
        try {
            return matchesUtf8(bytes);
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    /** {@link #matches} on the password's UTF-8 bytes, which the caller wipes afterwards. */
    boolean matchesUtf8(byte[] password);

    /** {@code "bcrypt"} or {@code "argon2id"}. */
    String algorithm();
}
