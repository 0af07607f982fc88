package dev.shoal.controller.auth;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** A bcrypt hash: {@code $2y$NN$} + 22 characters of salt + 31 characters of hash. */
public final class BcryptHash implements PasswordHash {

    private static final String ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int LENGTH = 60;
    private static final int SALT_START = 7;
    private static final int SALT_END = SALT_START + 22;

    private final String encoded;
    private final int cost;

    private BcryptHash(String encoded, int cost) {
        this.encoded = encoded;
        this.cost = cost;
    }

    static BcryptHash parse(String s) {
        // $2x$ (crypt_blowfish's sign-extension bug) and the original $2$ compute differently; BC would not emulate them.
        if (s.length() < 4 || s.charAt(3) != '$' || "aby".indexOf(s.charAt(2)) < 0) {
            throw new IllegalArgumentException("unsupported bcrypt variant: expected $2y$, $2b$ or $2a$");
        }
        if (s.length() != LENGTH) {
            throw new IllegalArgumentException(
                    "bcrypt hash must be " + LENGTH + " characters long, not " + s.length());
        }
        if (!isDigit(s.charAt(4)) || !isDigit(s.charAt(5)) || s.charAt(6) != '$') {
            throw new IllegalArgumentException("bcrypt cost is not a two-digit number");
        }
        int cost = (s.charAt(4) - '0') * 10 + (s.charAt(5) - '0');
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost %02d is out of range 04..31".formatted(cost));
        }
        for (int i = SALT_START; i < LENGTH; i++) {
            if (ALPHABET.indexOf(s.charAt(i)) < 0) {
                throw new IllegalArgumentException(
                        "bcrypt salt and hash may only use bcrypt's base64 alphabet ./A-Za-z0-9");
            }
        }
        // 22 characters carry 132 bits for a 128-bit salt and 31 carry 186 for a 184-bit hash. BC re-encodes
        // both and compares strings, so non-zero spare bits would make every password fail, silently.
        if ((ALPHABET.indexOf(s.charAt(SALT_END - 1)) & 0x0f) != 0
                || (ALPHABET.indexOf(s.charAt(LENGTH - 1)) & 0x03) != 0) {
            throw new IllegalArgumentException(
                    "bcrypt salt or hash is not canonically encoded (was it truncated or edited?)");
        }
        return new BcryptHash(s, cost);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    @Override
    public boolean matchesUtf8(byte[] password) {
        // BC accepts $2a$, $2b$ and $2y$ as they are, re-derives the whole string and compares
        // every character without an early exit.
        return OpenBSDBCrypt.checkPassword(encoded, password);
    }

    @Override
    public String algorithm() {
        return "bcrypt";
    }

    /** The cost factor: 2^cost rounds. */
    public int cost() {
        return cost;
    }

    @Override
    public String toString() {
        return "PasswordHash[bcrypt, cost " + cost + "]";
    }
}
