package dev.shoal.controller.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** Makes password hashes that {@link PasswordHash#parse} reads and that htpasswd / argon2 agree with. */
public final class PasswordHasher {

    private static final int BCRYPT_MAX_PASSWORD_BYTES = 72;
    private static final int SALT_BYTES = 16;
    // 64 MiB and 3 passes as in RFC 9106's second recommendation; one lane, as BC fills lanes one after another.
    private static final int ARGON2_MEMORY_KIB = 65536;
    private static final int ARGON2_ITERATIONS = 3;
    private static final int ARGON2_PARALLELISM = 1;
    private static final int ARGON2_HASH_BYTES = 32;

    private final SecureRandom random;

    public PasswordHasher(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A {@code $2y$} bcrypt hash, as {@code htpasswd -B} makes. */
    public String bcrypt(char[] password, int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost " + cost + " is out of range 4..31");
        }
        byte[] bytes = utf8(password);
        try {
            // Silently ignoring the rest would let "<72 bytes>anything" log in too.
            if (bytes.length > BCRYPT_MAX_PASSWORD_BYTES) {
                throw new IllegalArgumentException("password is longer than 72 UTF-8 bytes, but bcrypt only uses "
                        + "the first 72; use argon2id for longer passwords");
            }
            return OpenBSDBCrypt.generate("2y", bytes, salt(), cost);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** An argon2id PHC hash with m=65536, t=3, p=1, a 16-byte salt and a 32-byte hash. */
    public String argon2id(char[] password) {
        byte[] bytes = utf8(password);
        try {
            byte[] salt = salt();
            byte[] hash = Argon2idHash.derive(bytes, Argon2idHash.VERSION_13, ARGON2_MEMORY_KIB,
                    ARGON2_ITERATIONS, ARGON2_PARALLELISM, salt, ARGON2_HASH_BYTES);
            return new Argon2idHash(Argon2idHash.VERSION_13, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS,
                    ARGON2_PARALLELISM, salt, hash).encoded();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private byte[] salt() {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return salt;
    }

    /** The password's UTF-8 bytes, which is what htpasswd and argon2 hash when a password is piped to them. */
    static byte[] utf8(char[] password) {
        Objects.requireNonNull(password, "password");
        ByteBuffer buffer;
        try {
            // newEncoder() reports unpaired surrogates instead of silently turning them into '?'
            buffer = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(password));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("password contains an unpaired UTF-16 surrogate");
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }
}
